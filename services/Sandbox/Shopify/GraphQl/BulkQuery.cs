using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// The query of a bulk operation, checked as Shopify checks it before it starts one (the messages are Shopify's): valid
/// against the schema, a query (not a mutation) with no top-level <c>node</c>, at least one connection and at most
/// <see cref="MaxConnections"/>, at most <see cref="MaxDepth"/> levels of them, each selected through
/// <c>edges { node }</c>, none inside a list field, and a parent that selects <c>id</c> (unaliased) above every nested
/// connection, since its lines point at the parent through <c>__parentId</c>.
/// </summary>
public sealed class BulkQuery
{
    public const int MaxConnections = 5;
    public const int MaxDepth = 2;

    public PreparedOperation Operation { get; }
    public CollectedField Root { get; }
    public SchemaField RootDefinition { get; }
    public SchemaType RootConnection { get; }

    private BulkQuery(PreparedOperation operation, CollectedField root, SchemaField definition, SchemaType connection)
    {
        Operation = operation;
        Root = root;
        RootDefinition = definition;
        RootConnection = connection;
    }

    public string RootName => Root.Name;

    public static BulkQuery Parse(AdminSchema schema, string query)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new BulkQueryException("Invalid bulk query: syntax error, unexpected end of file");
        PreparedOperation operation;
        try
        {
            operation = PreparedOperation.Prepare(schema, query, null, null);
        }
        catch (GraphQlRequestException exception)
        {
            throw new BulkQueryException($"Invalid bulk query: {exception.Errors[0].Message}");
        }
        if (operation.IsMutation) throw new BulkQueryException("Invalid operation type. Only `query` operations are supported.");

        var fields = operation.CollectFields(operation.RootType, [operation.Operation.SelectionSet]).Where(f => f.Name != "__typename").ToList();
        var check = new Check(operation);
        if (fields.Any(f => f.Name is "node" or "nodes")) check.Errors.Add("Bulk queries cannot contain a top level `node` field.");
        foreach (var field in fields)
        {
            var type = schema.Type(operation.RootType.Fields[field.Name].Type.Named)!;
            if (type.IsConnection) check.Connection(type, field, depth: 1);
            else if (!type.IsLeaf) check.Walk(type, field.SelectionSets, depth: 0, inList: operation.RootType.Fields[field.Name].Type.IsList);
        }
        if (check.Count == 0) check.Errors.Add("Bulk queries must contain at least one connection.");
        if (check.Count > MaxConnections) check.Errors.Add($"Bulk queries cannot contain more than {MaxConnections} connections.");
        if (check.Deepest > MaxDepth) check.Errors.Add($"Bulk queries cannot contain connections with a nesting depth greater than {MaxDepth}.");
        if (check.ThroughNodes.Count > 0)
            check.Errors.Add("All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. "
                             + $"Selecting via 'nodes' is not supported. "
                             + $"Invalid connection fields: {string.Join(", ", check.ThroughNodes.Select(n => $"'{n}'"))}.");
        if (check.WithoutParentId.Count > 0)
            check.Errors.Add("The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. "
                             + $"Connection fields without 'id': {string.Join(", ", check.WithoutParentId)}.");
        if (check.InList) check.Errors.Add("Queries that contain a connection field within a list field are not currently supported.");
        if (check.Errors.Count > 0) throw new BulkQueryException(check.Errors);

        var root = fields.First(f => schema.Type(operation.RootType.Fields[f.Name].Type.Named)!.IsConnection);
        var definition = operation.RootType.Fields[root.Name];
        return new BulkQuery(operation, root, definition, schema.Type(definition.Type.Named)!);
    }

    /// <summary>The selection of each node of a connection, through <c>edges { node }</c>.</summary>
    public static List<GraphQLSelectionSet> NodeSelections(PreparedOperation operation, SchemaType connection, IReadOnlyList<GraphQLSelectionSet> selectionSets)
    {
        var sets = new List<GraphQLSelectionSet>();
        foreach (var field in operation.CollectFields(connection, selectionSets).Where(f => f.Name == "edges"))
        {
            var edge = operation.Schema.Type(connection.Fields["edges"].Type.Named)!;
            sets.AddRange(operation.CollectFields(edge, field.SelectionSets).Where(f => f.Name == "node").SelectMany(f => f.SelectionSets));
        }
        return sets;
    }

    /// <summary>One walk over the query, noting every rule it breaks.</summary>
    private sealed class Check(PreparedOperation operation)
    {
        public List<string> Errors { get; } = [];
        public List<string> ThroughNodes { get; } = [];
        public List<string> WithoutParentId { get; } = [];
        public int Count { get; private set; }
        public int Deepest { get; private set; }
        public bool InList { get; private set; }

        public void Connection(SchemaType connection, CollectedField field, int depth)
        {
            Count++;
            Deepest = Math.Max(Deepest, depth);
            if (operation.CollectFields(connection, field.SelectionSets).Any(f => f.Name == "nodes")) ThroughNodes.Add(field.Name);
            var edge = operation.Schema.Type(connection.Fields["edges"].Type.Named)!;
            var nodeType = operation.Schema.Type(edge.Fields["node"].Type.Named)!;
            Walk(nodeType, NodeSelections(operation, connection, field.SelectionSets), depth, inList: false);
        }

        /// <summary>Walks a node's selection (and its plain objects) for nested connections.</summary>
        public void Walk(SchemaType type, IReadOnlyList<GraphQLSelectionSet> sets, int depth, bool inList)
        {
            var fields = operation.CollectFields(type, sets);
            foreach (var field in fields)
            {
                if (field.Name == "__typename") continue;
                var definition = type.Fields[field.Name];
                var fieldType = operation.Schema.Type(definition.Type.Named)!;
                if (fieldType.IsLeaf) continue;
                if (fieldType.IsConnection)
                {
                    if (inList) InList = true;
                    if (depth > 0 && !fields.Any(f => f.Name == "id" && f.Key == "id")) WithoutParentId.Add(field.Name);
                    Connection(fieldType, field, depth + 1);
                }
                else
                {
                    Walk(fieldType, field.SelectionSets, depth, inList || definition.Type.IsList);
                }
            }
        }
    }
}
