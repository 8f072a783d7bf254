namespace GrowthOs.ServiceDefaults.Storage;

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
