using System.Buffers;
using System.Collections;
using System.Text.Json;
using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// Writes the JSONL of a bulk query as Shopify does: one object a line with exactly the fields selected, nested
/// connections flattened into lines of their own that point at their parent with <c>__parentId</c>. Shopify does not
/// promise that a child follows its parent; with a shuffle seed, lines are written in a seeded random order within
/// windows of <see cref="ShuffleWindowLines"/> lines, so children often come before their parent, while memory stays bounded.
/// </summary>
public static class BulkFileWriter
{
    private const int FlushThresholdBytes = 64 * 1024;
    public const int ShuffleWindowLines = 256;

    /// <summary>
    /// Writes the file of <paramref name="query"/> over the objects <paramref name="resolver"/> gives for its top-level
    /// field. <paramref name="keep"/> chooses root objects (a failed operation's partial data keeps some).
    /// </summary>
    public static async Task<BulkFileStats> Write(BulkQuery query, IFieldResolver resolver, object root, Stream output, int? shuffleSeed,
        Func<int, bool>? keep, CancellationToken cancellationToken)
    {
        var operation = query.Operation;
        var selection = new SelectionWriter(operation, resolver);
        var arguments = operation.ArgumentsOf(query.Root.Field, query.RootDefinition);
        var roots = resolver.Resolve(operation.RootType.Name, query.RootName, root, arguments) as IEnumerable ?? Array.Empty<object>();
        var nodeType = NodeType(operation, query.RootConnection);
        var nodeSets = BulkQuery.NodeSelections(operation, query.RootConnection, query.Root.SelectionSets);

        var children = new Dictionary<CollectedField, (SchemaType Type, List<GraphQLSelectionSet> Sets)>(ReferenceEqualityComparer.Instance);
        var lines = new Lines();
        var shuffled = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        var random = shuffleSeed is { } seed ? new Random(seed) : null;
        long objects = 0, rootObjects = 0, bytes = 0;
        var index = 0;
        foreach (var node in roots)
        {
            if (keep is not null && !keep(index++)) continue;
            rootObjects++;
            objects += WriteLine(lines, selection, nodeType, node, nodeSets, parentId: null, resolver, children);
            if (random is null ? lines.Buffer.WrittenCount >= FlushThresholdBytes : lines.Ends.Count >= ShuffleWindowLines)
                bytes += await Flush(lines, shuffled, random, output, cancellationToken);
        }
        bytes += await Flush(lines, shuffled, random, output, cancellationToken);
        return new BulkFileStats(objects, rootObjects, bytes);
    }

    /// <summary>Writes a node's line, then a line for each node of its nested connections; returns how many lines.</summary>
    private static long WriteLine(Lines lines, SelectionWriter selection, SchemaType type, object node, IReadOnlyList<GraphQLSelectionSet> sets,
        string? parentId, IFieldResolver resolver, Dictionary<CollectedField, (SchemaType Type, List<GraphQLSelectionSet> Sets)> children)
    {
        var deferred = new List<(CollectedField Field, SchemaType Connection, object Items)>();
        lines.Writer.WriteStartObject();
        selection.WriteFields(lines.Writer, type, node, sets, [], deferred);
        if (parentId is not null) lines.Writer.WriteString("__parentId", parentId);
        lines.End();

        long written = 1;
        if (deferred.Count == 0) return written;
        var id = resolver.Resolve(type.Name, "id", node, Arguments.None) as string;
        foreach (var (field, connection, items) in deferred)
        {
            // A nested connection's node type and selection are the same for every parent: worked out once.
            if (!children.TryGetValue(field, out var nested))
                children[field] = nested =
                    (NodeType(selection.Operation, connection), BulkQuery.NodeSelections(selection.Operation, connection, field.SelectionSets));
            foreach (var child in (IEnumerable)items)
                written += WriteLine(lines, selection, nested.Type, child, nested.Sets, id, resolver, children);
        }
        return written;
    }

    private static SchemaType NodeType(PreparedOperation operation, SchemaType connection) =>
        operation.Schema.Type(operation.Schema.Type(connection.Fields["edges"].Type.Named)!.Fields["node"].Type.Named)!;

    private static async Task<long> Flush(Lines lines, ArrayBufferWriter<byte> shuffled, Random? random, Stream output, CancellationToken cancellationToken)
    {
        var written = lines.Buffer.WrittenCount;
        if (random is null)
        {
            await output.WriteAsync(lines.Buffer.WrittenMemory, cancellationToken);
        }
        else
        {
            var order = Enumerable.Range(0, lines.Ends.Count).ToArray();
            random.Shuffle(order);
            shuffled.ResetWrittenCount();
            foreach (var index in order)
            {
                var start = index == 0 ? 0 : lines.Ends[index - 1];
                shuffled.Write(lines.Buffer.WrittenSpan[start..lines.Ends[index]]);
            }
            await output.WriteAsync(shuffled.WrittenMemory, cancellationToken);
        }
        lines.Buffer.ResetWrittenCount();
        lines.Ends.Clear();
        return written;
    }

    /// <summary>The lines of the current window: a JSON writer over one buffer, and where each line ends.</summary>
    private sealed class Lines
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(FlushThresholdBytes * 2);
        public List<int> Ends { get; } = [];
        public Utf8JsonWriter Writer { get; }

        public Lines() => Writer = new Utf8JsonWriter(Buffer);

        public void End()
        {
            Writer.WriteEndObject();
            Writer.Flush();
            Writer.Reset(Buffer);
            Buffer.Write("\n"u8);
            Ends.Add(Buffer.WrittenCount);
        }
    }
}
