namespace GrowthOs.KpiAlert.Alerts;

/// <summary>The answer of <c>GET /api/alerts</c>: a shop's alerts of one status, the most severe and newest first.</summary>
public sealed record AlertList(string Shop, string Status, IReadOnlyList<AlertView> Alerts);
