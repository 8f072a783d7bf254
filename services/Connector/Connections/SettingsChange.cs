namespace GrowthOs.Connector.Connections;

/// <summary>A change of settings: null leaves a setting as it is.</summary>
public sealed record SettingsChange(string? Cron, IReadOnlyList<string>? Entities, DateOnly? HistoryStart, int? LookbackMinutes,
    IReadOnlyList<int>? AvoidHours = null);
