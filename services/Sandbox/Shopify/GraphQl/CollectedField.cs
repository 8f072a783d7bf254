using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>A response key and the field it answers, with every sub-selection made of it (fragments merged).</summary>
public sealed record CollectedField(string Key, GraphQLField Field, List<GraphQLSelectionSet> SelectionSets)
{
    public string Name => Field.Name.StringValue;
}
