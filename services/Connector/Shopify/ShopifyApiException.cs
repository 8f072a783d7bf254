namespace GrowthOs.Connector.Shopify;

/// <summary>
/// Shopify refused or failed a request. <see cref="Code"/> is Shopify's error code (THROTTLED, ACCESS_DENIED,
/// OPERATION_IN_PROGRESS, ...) or the HTTP status as <c>HTTP_nnn</c>. Messages never contain the access token.
/// </summary>
public sealed class ShopifyApiException(string code, string message, bool transient, TimeSpan? retryAfter = null) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>Worth trying again later: throttling, 429, 5xx, a timeout.</summary>
    public bool Transient { get; } = transient;

    /// <summary>How long Shopify asked to be left alone (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
