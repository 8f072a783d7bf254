using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// A purge as the API shows it: who asked and why, each service's answer, and which services have not answered yet. It
/// is complete once every service of <see cref="PurgeServices.All"/> answered.
/// </summary>
public sealed record PurgeReport(
    Guid Id, Guid? ConnectionId, string Reason, string RequestedBy, DateTimeOffset RequestedAt, bool Complete, IReadOnlyList<string> WaitingFor,
    long RowsRemoved, long ObjectsRemoved, IReadOnlyList<PurgeAnswer> Services, DateTimeOffset? SweptAgainAt = null);
