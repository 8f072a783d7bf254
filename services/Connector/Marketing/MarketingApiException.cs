namespace GrowthOs.Connector.Marketing;

/// <summary>
/// A marketing source's refusal or failure, named by <paramref name="Code"/> (the source's own code, such as Meta's
/// <c>80000</c> or Google's <c>RESOURCE_EXHAUSTED</c>), with whether waiting helps and, when the source said, how long.
/// The message names what happened and never holds a token.
/// </summary>
public sealed class MarketingApiException(string source, string code, string message, bool transient, TimeSpan? retryAfter = null) : Exception(message)
{
    public string SourceName { get; } = source;
    public string Code { get; } = code;
    public bool Transient { get; } = transient;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
