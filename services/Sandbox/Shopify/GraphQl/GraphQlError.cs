using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// An entry of a GraphQL answer's <c>errors</c>, in the shape Shopify's server (graphql-ruby) gives its static
/// validation errors: a message naming the field, where it is in the query, its path and an <c>extensions.code</c>.
/// </summary>
public sealed record GraphQlError(string Message, IReadOnlyList<Location> Locations, IReadOnlyList<string>? Path, JsonObject? Extensions)
{
    public static GraphQlError At(ROM source, ASTNode node, IReadOnlyList<string>? path, string message, string code,
        params (string Key, string Value)[] details)
    {
        var extensions = new JsonObject { ["code"] = code };
        foreach (var (key, value) in details) extensions[key] = value;
        return new GraphQlError(message, [Location.FromLinearPosition(source, node.Location.Start)], path, extensions);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["message"] = Message,
            ["locations"] = new JsonArray(Locations.Select(l => (JsonNode)new JsonObject { ["line"] = l.Line, ["column"] = l.Column }).ToArray()),
        };
        if (Path is not null) json["path"] = new JsonArray(Path.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
        if (Extensions is not null) json["extensions"] = Extensions.DeepClone();
        return json;
    }
}
