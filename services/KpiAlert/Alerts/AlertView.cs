using System.Text.Json;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>An alert of a shop: its rule and subject, what it says and recommends, the figures that raised it and its latest ones.</summary>
public sealed record AlertView(
    Guid AlertId,
    string Rule,
    string Subject,
    string Severity,
    string Status,
    string Message,
    string Recommendation,
    JsonElement RaisedFigures,
    JsonElement LatestFigures,
    DateTimeOffset RaisedAt,
    DateTimeOffset EvaluatedAt,
    DateTimeOffset? ResolvedAt);
