using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record SchemaArgument(string Name, TypeRef Type, GraphQLValue? DefaultValue);
