namespace GrowthOs.Sandbox.Meta;

/// <summary>An asynchronous insights report (POST act_{id}/insights), kept like bulk operations so that a restart keeps it.</summary>
public sealed record MetaReportRun(string Id, string AccountId, DateOnly Since, DateOnly Until, string Fields, DateTimeOffset CreatedAt);
