using System.Globalization;
using System.Text;

namespace GrowthOs.Sandbox.GoogleAds;

/// <summary>A condition of a GAQL <c>WHERE</c> clause: a field, an operator and its values (none for <c>IS NULL</c>).</summary>
public sealed record GaqlCondition(string Field, string Operator, IReadOnlyList<string> Values);

/// <summary>An ordering of a GAQL <c>ORDER BY</c> clause.</summary>
public sealed record GaqlOrdering(string Field, bool Descending);

/// <summary>A refusal of a query in Google Ads' words: the <c>queryError</c> code and its message.</summary>
public sealed class GaqlException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// A Google Ads Query Language query, parsed by the grammar Google documents
/// (developers.google.com/google-ads/api/docs/query/grammar): <c>SELECT</c> fields <c>FROM</c> a resource, then
/// optionally <c>WHERE</c> conditions joined by <c>AND</c>, <c>ORDER BY</c> fields <c>ASC</c>/<c>DESC</c>,
/// <c>LIMIT</c> n and <c>PARAMETERS</c> name = value. Keywords are case-insensitive; strings are in single or double quotes.
/// </summary>
public sealed record Gaql(IReadOnlyList<string> Fields, string Resource, IReadOnlyList<GaqlCondition> Conditions, IReadOnlyList<GaqlOrdering> Orderings,
    int? Limit)
{
    private static readonly string[] Operators = ["!=", ">=", "<=", "=", ">", "<"];

    public static Gaql Parse(string text)
    {
        var tokens = new Tokens(Tokenize(text));
        tokens.Keyword("SELECT");
        var fields = new List<string> { tokens.Field() };
        while (tokens.Take(",")) fields.Add(tokens.Field());
        tokens.Keyword("FROM");
        var resource = tokens.Field();
        var conditions = new List<GaqlCondition>();
        if (tokens.TakeKeyword("WHERE"))
            do conditions.Add(Condition(tokens));
            while (tokens.TakeKeyword("AND"));
        var orderings = new List<GaqlOrdering>();
        if (tokens.TakeKeyword("ORDER"))
        {
            tokens.Keyword("BY");
            do
            {
                var field = tokens.Field();
                var descending = tokens.TakeKeyword("DESC");
                if (!descending) tokens.TakeKeyword("ASC");
                orderings.Add(new GaqlOrdering(field, descending));
            } while (tokens.Take(","));
        }
        int? limit = null;
        if (tokens.TakeKeyword("LIMIT"))
            limit = int.TryParse(tokens.Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new GaqlException("LIMIT_VALUE_NOT_POSITIVE", "The LIMIT must be a positive integer.");
        if (tokens.TakeKeyword("PARAMETERS"))
            do
            {
                tokens.Field();
                tokens.Expect("=");
                tokens.Next();
            } while (tokens.Take(","));
        if (!tokens.AtEnd) throw new GaqlException("UNEXPECTED_INPUT", $"Error in query: unexpected input {tokens.Peek()}.");
        return new Gaql(fields, resource, conditions, orderings, limit);
    }

    private static GaqlCondition Condition(Tokens tokens)
    {
        var field = tokens.Field();
        if (tokens.TakeKeyword("IS"))
        {
            var not = tokens.TakeKeyword("NOT");
            tokens.Keyword("NULL");
            return new GaqlCondition(field, not ? "IS NOT NULL" : "IS NULL", []);
        }
        if (tokens.TakeKeyword("BETWEEN"))
        {
            var from = tokens.Literal();
            tokens.Keyword("AND");
            return new GaqlCondition(field, "BETWEEN", [from, tokens.Literal()]);
        }
        if (tokens.TakeKeyword("DURING")) return new GaqlCondition(field, "DURING", [tokens.Next()]);
        var negated = tokens.TakeKeyword("NOT");
        if (tokens.TakeKeyword("IN")) return new GaqlCondition(field, negated ? "NOT IN" : "IN", List(tokens));
        if (tokens.TakeKeyword("LIKE")) return new GaqlCondition(field, negated ? "NOT LIKE" : "LIKE", [tokens.Literal()]);
        if (tokens.TakeKeyword("REGEXP_MATCH")) return new GaqlCondition(field, negated ? "NOT REGEXP_MATCH" : "REGEXP_MATCH", [tokens.Literal()]);
        if (negated) throw new GaqlException("UNEXPECTED_INPUT", $"Error in query: NOT must be followed by IN, LIKE or REGEXP_MATCH after {field}.");
        if (tokens.TakeKeyword("CONTAINS"))
        {
            var which = tokens.Next().ToUpperInvariant();
            if (which is not ("ANY" or "ALL" or "NONE")) throw new GaqlException("UNEXPECTED_INPUT", "Error in query: CONTAINS takes ANY, ALL or NONE.");
            return new GaqlCondition(field, $"CONTAINS {which}", List(tokens));
        }
        var op = tokens.Next();
        if (!Operators.Contains(op)) throw new GaqlException("UNEXPECTED_INPUT", $"Error in query: unexpected input {op}.");
        return new GaqlCondition(field, op, [tokens.Literal()]);
    }

    private static List<string> List(Tokens tokens)
    {
        tokens.Expect("(");
        var values = new List<string> { tokens.Literal() };
        while (tokens.Take(",")) values.Add(tokens.Literal());
        tokens.Expect(")");
        return values;
    }

    /// <summary>A literal's tokens keep their quote mark first so that a string is told from a name or a number.</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c is '\'' or '"')
            {
                var value = new StringBuilder().Append('\'');
                var j = i + 1;
                for (; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length) j++;
                    value.Append(text[j]);
                }
                if (j >= text.Length) throw new GaqlException("UNEXPECTED_END_OF_QUERY", "Query is incomplete and cannot be parsed: a string is not closed.");
                tokens.Add(value.ToString());
                i = j + 1;
                continue;
            }
            if (c is ',' or '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }
            if (c is '!' or '<' or '>' or '=')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(text.Substring(i, two ? 2 : 1));
                i += two ? 2 : 1;
                continue;
            }
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or ':' or '+')) i++;
            if (i == start) throw new GaqlException("UNEXPECTED_INPUT", $"Error in query: unexpected input {c}.");
            tokens.Add(text[start..i]);
        }
        return tokens;
    }

    private sealed class Tokens(List<string> tokens)
    {
        private int _at;

        public bool AtEnd => _at >= tokens.Count;

        public string Peek() => AtEnd ? "end of query" : tokens[_at];

        public string Next() =>
            AtEnd ? throw new GaqlException("UNEXPECTED_END_OF_QUERY", "Query is incomplete and cannot be parsed.") : tokens[_at++];

        public bool Take(string token)
        {
            if (AtEnd || tokens[_at] != token) return false;
            _at++;
            return true;
        }

        public bool TakeKeyword(string keyword)
        {
            if (AtEnd || !string.Equals(tokens[_at], keyword, StringComparison.OrdinalIgnoreCase)) return false;
            _at++;
            return true;
        }

        public void Keyword(string keyword)
        {
            if (!TakeKeyword(keyword))
                throw AtEnd ? new GaqlException("UNEXPECTED_END_OF_QUERY", "Query is incomplete and cannot be parsed.")
                    : new GaqlException("UNEXPECTED_INPUT", $"Error in query: expected {keyword}, found {Peek()}.");
        }

        public void Expect(string token)
        {
            if (!Take(token))
                throw AtEnd ? new GaqlException("UNEXPECTED_END_OF_QUERY", "Query is incomplete and cannot be parsed.")
                    : new GaqlException("UNEXPECTED_INPUT", $"Error in query: expected {token}, found {Peek()}.");
        }

        public string Field()
        {
            var token = Next();
            return token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_') && token.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '.')
                ? token
                : throw new GaqlException("UNEXPECTED_INPUT", $"Error in query: expected a field name, found {token}.");
        }

        /// <summary>A string (its quote mark dropped), a number or an enum constant.</summary>
        public string Literal()
        {
            var token = Next();
            return token.StartsWith('\'') ? token[1..] : token;
        }
    }
}
