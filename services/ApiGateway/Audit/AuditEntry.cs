namespace GrowthOs.ApiGateway.Audit;

public sealed record AuditEntry(
    long EntryId, DateTimeOffset ReceivedAt, string? KeyId, string? Role, string Method, string Path, string? Shop, Guid? RunId,
    string? ClientAddress, string? TraceId, int? Status, string Outcome, DateTimeOffset? CompletedAt);
