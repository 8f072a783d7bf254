using System.Globalization;
using System.Text.RegularExpressions;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// The part of Shopify's search syntax (the <c>query</c> argument of a connection) the Sandbox filters by: terms
/// joined by <c>AND</c> or spaces, each <c>field:value</c> or <c>field:&gt;=value</c> (also &gt;, &lt;, &lt;=), values
/// quoted or bare. Times compare as instants; other values compare case-insensitively.
/// </summary>
public sealed partial class SearchQuery
{
    private readonly List<(string Field, string Comparison, string Value)> _terms = [];

    public static readonly SearchQuery All = new(null);

    public SearchQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        foreach (Match match in Term().Matches(text))
            _terms.Add((match.Groups["field"].Value.ToLowerInvariant(), match.Groups["op"].Value,
                match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["bare"].Value));
    }

    public bool Matches(string field, DateTimeOffset value) => _terms.Where(t => t.Field == field).All(t =>
        DateTimeOffset.TryParse(t.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound) && t.Comparison switch
        {
            ">=" => value >= bound,
            ">" => value > bound,
            "<=" => value <= bound,
            "<" => value < bound,
            _ => value == bound,
        });

    public bool Matches(string field, string value) =>
        _terms.Where(t => t.Field == field).All(t => string.Equals(t.Value, value, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("""(?<field>[a-z_]+):(?<op>>=|<=|>|<)?\s*(?:'(?<quoted>[^']*)'|"(?<quoted>[^"]*)"|(?<bare>[^\s)]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex Term();
}
