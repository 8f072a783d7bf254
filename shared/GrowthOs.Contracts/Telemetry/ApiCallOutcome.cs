namespace GrowthOs.Contracts.Telemetry;

/// <summary>
/// One call: when it was made, the endpoint (the operation, never its URL's secrets), the HTTP status (null when no
/// answer came), how long it took, the records the answer held, whether the source throttled it, the error code it
/// gave, and the share of the rate-limit budget the answer reported as used (0 to 100; null when it reported none).
/// </summary>
public record ApiCallOutcome(
    string Source,
    string Endpoint,
    DateTimeOffset At,
    int? HttpStatus,
    long DurationMs,
    long Records,
    bool Throttled,
    string? ErrorCode,
    decimal? UsagePercent);
