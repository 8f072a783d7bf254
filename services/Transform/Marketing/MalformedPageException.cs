namespace GrowthOs.Transform.Marketing;

/// <summary>A page that is not an answer of its source at all (an error envelope, another API's shape): the load fails with this reason.</summary>
public sealed class MalformedPageException(string message) : Exception(message);
