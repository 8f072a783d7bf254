namespace GrowthOs.ServiceDefaults.Storage;

/// <summary>
/// How long a line of a JSONL file may be, wherever one is read: no line of Shopify's bulk files comes near it (each
/// record is a line of its own, its children on lines of theirs), and an export that nests an order's lines in the order
/// still fits. A longer line is refused with its number, never held whole in memory.
/// </summary>
public static class JsonLines
{
    public const int MaxLineBytes = 8 * 1024 * 1024;
}
