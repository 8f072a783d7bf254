namespace GrowthOs.Contracts.Extraction;

/// <summary>The operation is CREATED or RUNNING; poll again later.</summary>
public record BulkOperationStillRunning(
    Guid RunId,
    string BulkOperationId,
    int Attempt,
    string Status,
    long ObjectCount);
