using System.Text.Json;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// An alert of a shop: its rule and subject, what it says and recommends, the figures that raised it and its latest ones;
/// the daily pipelines behind its figures that were late or incomplete at its latest evaluation (<see cref="DataIncomplete"/>,
/// none when whole) and whether that held it back from critical; and every pipeline that was incomplete while it was open.
/// </summary>
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
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<DataGap> DataIncomplete,
    bool HeldBack,
    IReadOnlyList<string> IncompletePipelines);
