namespace GrowthOs.Sandbox.Meta;

/// <summary>
/// An asynchronous insights report (POST act_{id}/insights), kept like bulk operations so that a restart keeps it: the range, fields,
/// level and time increment it was asked with (reports kept before the last two were campaign level by day).
/// </summary>
public sealed record MetaReportRun(string Id, string AccountId, DateOnly Since, DateOnly Until, string Fields, DateTimeOffset CreatedAt,
    string Level = "campaign", string Increment = "1");
