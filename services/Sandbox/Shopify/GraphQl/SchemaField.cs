namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record SchemaField(string Name, TypeRef Type, IReadOnlyDictionary<string, SchemaArgument> Arguments);
