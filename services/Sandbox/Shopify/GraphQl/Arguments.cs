using System.Text.Json.Nodes;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>A field's argument values, after variables and defaults: JSON values, as a request's variables are.</summary>
public sealed class Arguments(IReadOnlyDictionary<string, JsonNode?> values)
{
    public static readonly Arguments None = new(new Dictionary<string, JsonNode?>());

    public string? String(string name) => values.GetValueOrDefault(name) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public int? Int(string name) =>
        values.GetValueOrDefault(name) is JsonValue value && value.TryGetValue<long>(out var number)
            ? (int)Math.Clamp(number, int.MinValue, int.MaxValue)
            : null;

    public bool? Boolean(string name) => values.GetValueOrDefault(name) is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public JsonNode? Node(string name) => values.GetValueOrDefault(name);

    public IReadOnlyList<string> Strings(string name) => values.GetValueOrDefault(name) switch
    {
        JsonArray array => array.Select(n => n?.GetValue<string>()).OfType<string>().ToList(),
        JsonValue value when value.TryGetValue<string>(out var single) => [single],
        _ => [],
    };
}
