namespace GrowthOs.ServiceDefaults.Storage;

/// <summary>A JSON body that is not what it must be, or holds an element larger than allowed: the reason, for a problem body.</summary>
public sealed class JsonBodyException(string message) : Exception(message);
