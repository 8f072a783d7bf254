namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record SchemaType(
    string Name,
    TypeKind Kind,
    IReadOnlyDictionary<string, SchemaField> Fields,
    IReadOnlySet<string> Interfaces,
    IReadOnlySet<string> EnumValues)
{
    /// <summary>Shopify's connections are the object types named <c>…Connection</c> with <c>edges</c> and <c>nodes</c>.</summary>
    public bool IsConnection => Kind == TypeKind.Object && Name.EndsWith("Connection", StringComparison.Ordinal) && Fields.ContainsKey("edges");

    public bool IsLeaf => Kind is TypeKind.Scalar or TypeKind.Enum;
}
