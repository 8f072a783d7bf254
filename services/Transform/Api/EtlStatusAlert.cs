namespace GrowthOs.Transform.Api;

/// <summary>An expected pipeline without a success today (UTC).</summary>
public sealed record EtlStatusAlert(string Pipeline, string Severity, string Message);
