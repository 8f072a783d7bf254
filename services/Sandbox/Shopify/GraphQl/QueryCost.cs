using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// A query's requested cost by Shopify's documented rules, computed before it runs: scalars and enums cost 0, an
/// object 1, a connection 2 plus its page size (<c>first</c> or <c>last</c>) times the cost of each node, a mutation
/// 10. A query above <see cref="MaxSingleQueryCost"/> is refused without running.
/// </summary>
public static class QueryCost
{
    public const int MaxSingleQueryCost = 1_000;
    public const int MutationCost = 10;

    public static int Requested(PreparedOperation operation) =>
        operation.IsMutation ? MutationCost : Selection(operation, operation.RootType, [operation.Operation.SelectionSet]);

    private static int Selection(PreparedOperation operation, SchemaType type, IReadOnlyList<GraphQLSelectionSet> sets)
    {
        var cost = 0;
        foreach (var field in operation.CollectFieldsOfAnyType(type, sets))
        {
            if (field.Name == "__typename" || !field.Owner.Fields.TryGetValue(field.Name, out var definition)) continue;
            var fieldType = operation.Schema.Type(definition.Type.Named)!;
            if (fieldType.IsLeaf) continue;
            if (fieldType.IsConnection)
            {
                var arguments = operation.ArgumentsOf(field.Field, definition);
                var size = arguments.Int("first") ?? arguments.Int("last") ?? 0;
                var node = operation.Schema.Type(operation.Schema.Type(fieldType.Fields["edges"].Type.Named)!.Fields["node"].Type.Named)!;
                var nodeSets = BulkQuery.NodeSelections(operation, fieldType, field.SelectionSets)
                    .Concat(operation.CollectFields(fieldType, field.SelectionSets).Where(f => f.Name == "nodes").SelectMany(f => f.SelectionSets)).ToList();
                cost += 2 + size * (1 + Selection(operation, node, nodeSets));
            }
            else
            {
                cost += 1 + Selection(operation, fieldType, field.SelectionSets);
            }
        }
        return cost;
    }
}
