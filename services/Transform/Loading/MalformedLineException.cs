namespace GrowthOs.Transform.Loading;

/// <summary>A line of the bulk file that is not JSON: the whole run stops here, with the line number.</summary>
public sealed class MalformedLineException(long lineNumber, string reason)
    : Exception($"Line {lineNumber} of the bulk file is not valid JSON: {reason}")
{
    public long LineNumber { get; } = lineNumber;
}
