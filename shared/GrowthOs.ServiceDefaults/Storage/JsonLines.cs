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

/// <summary>A line that runs past <see cref="JsonLines.MaxLineBytes"/> without its end.</summary>
public sealed class LineTooLongException(long lineNumber)
    : Exception(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Line {lineNumber} runs past {JsonLines.MaxLineBytes:N0} bytes without its end: a JSONL line is one record of at most that size."))
{
    public long LineNumber { get; } = lineNumber;

    /// <summary>The exception itself, or the first one inside it (a library may wrap what a stream it read threw).</summary>
    public static LineTooLongException? In(Exception? exception) => exception switch
    {
        null => null,
        LineTooLongException tooLong => tooLong,
        AggregateException aggregate => aggregate.InnerExceptions.Select(In).FirstOrDefault(e => e is not null),
        _ => In(exception.InnerException),
    };
}
