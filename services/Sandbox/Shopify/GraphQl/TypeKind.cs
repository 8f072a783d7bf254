using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public enum TypeKind { Scalar, Enum, Object, Interface, Input }

/// <summary>A field's or argument's type as written in SDL: a named type, maybe in a list, maybe non-null at each level.</summary>
public sealed record TypeRef(string Name, bool NonNull, TypeRef? OfList = null)
{
    public bool IsList => OfList is not null;

    /// <summary>The named type under any list and non-null wrappers.</summary>
    public string Named => OfList?.Named ?? Name;

    public override string ToString() => (OfList is { } item ? $"[{item}]" : Name) + (NonNull ? "!" : "");

    public static TypeRef From(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => From(nonNull.Type) with { NonNull = true },
        GraphQLListType list => new TypeRef("", false, From(list.Type)),
        GraphQLNamedType named => new TypeRef(named.Name.StringValue, false),
        _ => throw new NotSupportedException(type.Kind.ToString()),
    };
}
