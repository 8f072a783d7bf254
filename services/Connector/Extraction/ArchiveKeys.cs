namespace GrowthOs.Connector.Extraction;

public static class ArchiveKeys
{
    /// <summary><c>raw/shopify/{shop}/{entity}/{yyyy}/{MM}/{dd}/{runId}-{operation}.jsonl</c>: one object per run and operation.</summary>
    public static string For(string shop, string entity, DateTimeOffset archivedAt, Guid runId, string bulkOperationId)
    {
        var operation = bulkOperationId[(bulkOperationId.LastIndexOf('/') + 1)..];
        return $"raw/shopify/{shop}/{entity}/{archivedAt.UtcDateTime:yyyy/MM/dd}/{runId:N}-{operation}.jsonl";
    }
}
