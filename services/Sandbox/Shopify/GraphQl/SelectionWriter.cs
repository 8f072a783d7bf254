using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// Writes the answer to a selection: exactly the fields selected (aliases, fragments, <c>__typename</c>), in the order
/// selected, each valued by an <see cref="IFieldResolver"/>. Connections are paged by <c>first</c>/<c>after</c> or
/// <c>last</c>/<c>before</c> with opaque cursors, as Shopify's are.
/// </summary>
public sealed class SelectionWriter(PreparedOperation operation, IFieldResolver resolver)
{
    public const int MaxPageSize = 250;

    public List<GraphQlError> Errors { get; } = [];

    public PreparedOperation Operation => operation;

    public void WriteObject(Utf8JsonWriter writer, SchemaType type, object source, IReadOnlyList<GraphQLSelectionSet> selectionSets, List<string> path)
    {
        writer.WriteStartObject();
        WriteFields(writer, type, source, selectionSets, path, deferred: null);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the selected fields of <paramref name="source"/> as properties of the object being written. With
    /// <paramref name="deferred"/>, connection fields are not written but handed back (a bulk file gives them lines of their own).
    /// </summary>
    public void WriteFields(Utf8JsonWriter writer, SchemaType type, object source, IReadOnlyList<GraphQLSelectionSet> selectionSets, List<string> path,
        List<(CollectedField Field, SchemaType Connection, object Items)>? deferred)
    {
        foreach (var field in operation.CollectFields(type, selectionSets))
        {
            if (field.Name == "__typename")
            {
                writer.WriteString(field.Key, type.Name);
                continue;
            }
            var definition = type.Fields[field.Name];
            var fieldType = operation.Schema.Type(definition.Type.Named)!;
            var arguments = operation.ArgumentsOf(field.Field, definition);
            object? value;
            try
            {
                value = source switch
                {
                    ConnectionPage page => PageField(page, field.Name),
                    ConnectionEdge edge => field.Name == "cursor" ? edge.Cursor : edge.Node,
                    PageInfo info => info.Field(field.Name),
                    _ => resolver.Resolve(type.Name, field.Name, source, arguments),
                };
            }
            catch (FieldException exception)
            {
                Errors.Add(GraphQlError.At(operation.Source, field.Field, [.. path, field.Key], exception.Message, exception.Code, exception.Details));
                value = null;
            }
            if (fieldType.IsConnection && deferred is not null)
            {
                if (value is not null) deferred.Add((field, fieldType, value));
                continue;
            }
            var fieldPath = new List<string>(path) { field.Key };
            if (fieldType.IsConnection && value is IEnumerable items)
                value = Page(items, arguments, field, fieldPath);
            writer.WritePropertyName(field.Key);
            WriteValue(writer, definition.Type, fieldType, value, field.SelectionSets, fieldPath);
        }
    }

    private void WriteValue(Utf8JsonWriter writer, TypeRef typeRef, SchemaType type, object? value, IReadOnlyList<GraphQLSelectionSet> selectionSets,
        List<string> path)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case IEnumerable list when typeRef.OfList is { } item && value is not string:
                writer.WriteStartArray();
                foreach (var element in list) WriteValue(writer, item, type, element, selectionSets, path);
                writer.WriteEndArray();
                return;
        }
        if (!type.IsLeaf)
        {
            var concrete = type.Kind == TypeKind.Interface ? operation.Schema.Type(resolver.TypeOf(value))! : type;
            WriteObject(writer, concrete, value, selectionSets, path);
            return;
        }
        switch (value)
        {
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case decimal number: writer.WriteNumberValue(number); break;
            case double number: writer.WriteNumberValue(number); break;
            case DateTimeOffset time: writer.WriteStringValue(Timestamp(time)); break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static object? PageField(ConnectionPage page, string field) => field switch
    {
        "edges" => page.Edges,
        "nodes" => page.Edges.Select(e => e.Node),
        "pageInfo" => new PageInfo(page),
        _ => null,
    };

    private ConnectionPage? Page(IEnumerable items, Arguments arguments, CollectedField field, List<string> path)
    {
        var first = arguments.Int("first");
        var last = arguments.Int("last");
        if (first is null && last is null)
        {
            Errors.Add(GraphQlError.At(operation.Source, field.Field, path, "you must provide one of first or last", "BAD_REQUEST"));
            return null;
        }
        if (first > MaxPageSize || last > MaxPageSize)
        {
            Errors.Add(GraphQlError.At(operation.Source, field.Field, path,
                $"The value of the argument `{(first > MaxPageSize ? "first" : "last")}` must be less than or equal to {MaxPageSize}", "BAD_REQUEST"));
            return null;
        }
        var all = items.Cast<object>().ToList();
        if (arguments.Boolean("reverse") == true) all.Reverse();
        var start = Position(arguments.String("after")) is { } after ? after + 1 : 0;
        var end = Position(arguments.String("before")) is { } before ? before : all.Count;
        start = Math.Clamp(start, 0, all.Count);
        end = Math.Clamp(end, start, all.Count);
        if (first is { } f) end = Math.Min(end, start + Math.Max(0, f));
        if (last is { } l) start = Math.Max(start, end - Math.Max(0, l));
        var edges = Enumerable.Range(start, end - start).Select(i => new ConnectionEdge(Cursor(i), all[i])).ToList();
        return new ConnectionPage(edges, end < all.Count, start > 0);
    }

    private static string Cursor(int position) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"last_id\":{position}}}"));

    private static int? Position(string? cursor)
    {
        if (cursor is null) return null;
        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(cursor));
            return json.RootElement.GetProperty("last_id").GetInt32();
        }
        catch (Exception exception) when (exception is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record PageInfo(ConnectionPage Page)
    {
        public object? Field(string name) => name switch
        {
            "hasNextPage" => Page.HasNextPage,
            "hasPreviousPage" => Page.HasPreviousPage,
            "startCursor" => Page.Edges.Count > 0 ? Page.Edges[0].Cursor : null,
            "endCursor" => Page.Edges.Count > 0 ? Page.Edges[^1].Cursor : null,
            _ => null,
        };
    }
}
