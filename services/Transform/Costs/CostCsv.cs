using System.Globalization;
using System.Text;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Costs;

/// <summary>
/// A CSV of unit costs as a spreadsheet exports it: a header naming <c>variant_id</c> or <c>sku</c>, <c>unit_cost</c> (in
/// the shop's currency, as "3.50"; finer is rounded half away from zero to the minor unit) and <c>effective_from</c>
/// (YYYY-MM-DD), then a cost a row; fields may be quoted. Read whole: each bad line is named with what is wrong.
/// </summary>
public static class CostCsv
{
    public const int MaxRows = 50_000;

    /// <summary>The rows read (line number, variant id or SKU, cost in minor units, first day), and the problems found.</summary>
    public static (List<(int Line, long? VariantId, string? Sku, long UnitCostMinor, DateOnly EffectiveFrom)> Rows, List<string> Problems) Read(
        string text, string currency)
    {
        var rows = new List<(int, long?, string?, long, DateOnly)>();
        var problems = new List<string>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = Fields(lines[0].TrimStart('\uFEFF')).Select(h => h.Trim().ToLowerInvariant()).ToList();
        int variantColumn = header.IndexOf("variant_id"), skuColumn = header.IndexOf("sku");
        int costColumn = header.IndexOf("unit_cost"), dayColumn = header.IndexOf("effective_from");
        if ((variantColumn < 0 && skuColumn < 0) || costColumn < 0 || dayColumn < 0)
        {
            problems.Add("line 1: the header must name variant_id or sku, unit_cost and effective_from.");
            return (rows, problems);
        }
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var number = i + 1;
            if (rows.Count + problems.Count >= MaxRows)
            {
                problems.Add($"line {number}: a file holds at most {MaxRows:N0} costs.");
                break;
            }
            var fields = Fields(lines[i]);
            string Field(int column) => column >= 0 && column < fields.Count ? fields[column].Trim() : "";
            long? variantId = null;
            if (Field(variantColumn) is { Length: > 0 } id)
            {
                if (!long.TryParse(id.StartsWith("gid://shopify/ProductVariant/", StringComparison.Ordinal) ? id[29..] : id, NumberStyles.None,
                        CultureInfo.InvariantCulture, out var parsed))
                {
                    problems.Add($"line {number}: variant_id '{id}' is not a variant's id.");
                    continue;
                }
                variantId = parsed;
            }
            var sku = Field(skuColumn) is { Length: > 0 } given ? given : null;
            if (variantId is null && sku is null)
            {
                problems.Add($"line {number}: give the variant's variant_id or its sku.");
                continue;
            }
            var cost = Field(costColumn);
            if (!Money.TryToRoundedMinorUnits(Encoding.UTF8.GetBytes(cost), currency, out var minor) || minor < 0)
            {
                problems.Add($"line {number}: unit_cost '{cost}' is not an amount of {currency} of zero or more.");
                continue;
            }
            var day = Field(dayColumn);
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) || from.Year is < 2000 or > 2100)
            {
                problems.Add($"line {number}: effective_from '{day}' is not a date (YYYY-MM-DD) from 2000 to 2100.");
                continue;
            }
            rows.Add((number, variantId, sku, minor, from));
        }
        if (rows.Count == 0 && problems.Count == 0) problems.Add("the file holds no cost: a header, then a cost a row.");
        return (rows, problems);
    }

    /// <summary>A line's fields: separated by commas, a field in double quotes may hold commas and doubled quotes.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
