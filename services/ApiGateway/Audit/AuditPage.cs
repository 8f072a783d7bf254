namespace GrowthOs.ApiGateway.Audit;

/// <summary>
/// The answer of <c>GET /api/audit</c>: the entries, newest first; the <c>before</c> that reads the next page (null after the
/// last); and the actions tried without a key, counted per minute.
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextBefore, IReadOnlyList<AuditAnonymousRefusal> AnonymousRefusals);
