namespace GrowthOs.Connector.Connections;

/// <summary>What one service answered it removed for a purge.</summary>
public sealed record PurgeAnswer(string Service, DateTimeOffset AnsweredAt, IReadOnlyDictionary<string, long> Removed);
