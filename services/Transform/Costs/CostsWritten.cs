namespace GrowthOs.Transform.Costs;

/// <summary>
/// The answer of a cost write: how many overrides were written (or removed), and the refresh of the shop's profit it
/// queued for the days they change (at most the last 366), to follow at <see cref="StatusUrl"/>.
/// </summary>
public sealed record CostsWritten(string Shop, int Written, DateOnly RefreshFrom, DateOnly RefreshTo, Guid RefreshRunId, string StatusUrl);
