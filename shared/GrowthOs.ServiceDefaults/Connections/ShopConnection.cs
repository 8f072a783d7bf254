using GrowthOs.Contracts.Connections;

namespace GrowthOs.ServiceDefaults.Connections;

/// <summary>A shop connected at run time, as a service keeps its copy: what it needs to schedule, accept and report the shop.</summary>
public sealed record ShopConnection(
    Guid ConnectionId, string ShopDomain, string Status, string? StatusReason, string? TimeZone, string? CurrencyCode, string Cron,
    IReadOnlyList<string> Entities, DateOnly? HistoryStart, int? LookbackMinutes)
{
    /// <summary>Runs of the shop may start: it is neither paused, failing nor disconnected (a pending one is tried).</summary>
    public bool Syncs => Status is ConnectionStatuses.Active or ConnectionStatuses.Pending;

    /// <summary>The shop's own zone as its check found it (UTC until it was checked, or for a zone this machine does not know).</summary>
    public TimeZoneInfo Zone => TimeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
}
