namespace GrowthOs.Transform.Loading;

public sealed record RejectedRecord(long LineNumber, string? RecordType, string? ExternalId, string Reason);
