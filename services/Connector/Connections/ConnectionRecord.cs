using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>A connection as the registry holds it: its snapshot (what every service may know), and who made it when.</summary>
public sealed record ConnectionRecord(
    ConnectionSnapshot Snapshot, bool Paused, DateTimeOffset? CheckedAt, string CreatedBy, DateTimeOffset CreatedAt, bool HasCredentials,
    IReadOnlyList<int> AvoidHours, DateTimeOffset? CredentialExpiresAt = null);
