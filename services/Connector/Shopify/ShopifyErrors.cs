using System.Text.Json.Nodes;

namespace GrowthOs.Connector.Shopify;

/// <summary>
/// What Shopify's errors mean, read from the codes it documents and, where an answer carries no code, from the
/// messages it sends (documented in its rate-limit and bulk-operation guides, and seen in real traffic): a
/// <c>Throttled</c> error without <c>extensions.code</c>, a bulk query "already in progress" with a null user-error code.
/// </summary>
public static class ShopifyErrors
{
    public const string Throttled = "THROTTLED";
    public const string MaxCostExceeded = "MAX_COST_EXCEEDED";
    public const string OperationInProgress = "OPERATION_IN_PROGRESS";
    public const string LimitReached = "LIMIT_REACHED";

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is taken as this (the run's retry budget decides the rest).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    /// <summary>A top-level GraphQL error's code (its <c>extensions.code</c>, or what its message says) and message.</summary>
    public static (string Code, string Message) Classify(JsonNode? error)
    {
        var message = error?["message"] is JsonValue text && text.TryGetValue<string>(out var m) ? m : "unknown error";
        if (error?["extensions"]?["code"] is JsonValue value && value.TryGetValue<string>(out var code) && !string.IsNullOrWhiteSpace(code))
            return (code, message);
        if (message.Trim().Equals("Throttled", StringComparison.OrdinalIgnoreCase)) return (Throttled, message);
        if (message.Contains("exceeds the single query max cost limit", StringComparison.OrdinalIgnoreCase)) return (MaxCostExceeded, message);
        return ("GRAPHQL_ERROR", message);
    }

    /// <summary>A <c>BulkOperationUserError</c>'s code, or, when Shopify sent it null, the code its message stands for.</summary>
    public static string UserErrorCode(string? code, string message)
    {
        if (!string.IsNullOrWhiteSpace(code)) return code;
        if (message.Contains("already in progress", StringComparison.OrdinalIgnoreCase)) return OperationInProgress;
        if (message.Contains("limit reached", StringComparison.OrdinalIgnoreCase)) return LimitReached;
        return "USER_ERROR";
    }

    /// <summary>Another bulk query holds the shop's slot: try again once it is free.</summary>
    public static bool IsBusy(string code) => code is OperationInProgress or LimitReached;

    public static bool IsTransient(string code) => code is Throttled or "INTERNAL_SERVER_ERROR";

    /// <summary>
    /// <c>Retry-After</c> in seconds (Shopify writes them with a fraction, <c>2.0</c>, which HTTP's integer form does not
    /// allow) or as an HTTP date, capped at <see cref="MaxRetryAfter"/>; null when absent, unreadable or past.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider clock)
    {
        TimeSpan? wait = null;
        if (response.Headers.TryGetValues("Retry-After", out var values) && values.FirstOrDefault() is { } raw
            && double.TryParse(raw.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds))
            wait = TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryAfter.TotalSeconds));
        else if (response.Headers.RetryAfter?.Date is { } date)
            wait = date - clock.GetUtcNow();
        if (wait is not { } positive || positive <= TimeSpan.Zero) return null;
        return positive > MaxRetryAfter ? MaxRetryAfter : positive;
    }

    /// <summary>
    /// Shopify's own words in an error answer (its <c>errors</c>, a string on a refused token: "[API] Invalid API key or
    /// access token ..."), as ": words" to follow a message, cut at 200 characters; empty when it said none.
    /// </summary>
    public static string Said(JsonObject? answer) => answer?["errors"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0 => ": " + (text.Length > 200 ? text[..200] + "…" : text),
        JsonArray { Count: > 0 } errors when Classify(errors[0]).Message is { Length: > 0 } message =>
            ": " + (message.Length > 200 ? message[..200] + "…" : message),
        _ => "",
    };
}
