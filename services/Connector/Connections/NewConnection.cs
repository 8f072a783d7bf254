namespace GrowthOs.Connector.Connections;

/// <summary>What a new connection is, before it is stored.</summary>
public sealed record NewConnection(
    string ShopDomain, string Provider, string Account, string? LoginCustomerId, string Cron, IReadOnlyList<string> Entities, DateOnly? HistoryStart,
    int? LookbackMinutes, bool Paused, IReadOnlyList<int>? AvoidHours = null);
