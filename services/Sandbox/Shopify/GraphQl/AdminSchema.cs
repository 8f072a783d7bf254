using System.Collections.Concurrent;
using GraphQLParser;
using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// The Admin API schema as one API version sees it, read from <c>admin.graphql</c>: fields marked
/// <c>@since(version:)</c> exist from that version on, fields marked <c>@until(version:)</c> are gone from it.
/// </summary>
public sealed class AdminSchema
{
    private static readonly Lazy<GraphQLDocument> Sdl = new(() =>
    {
        using var stream = typeof(AdminSchema).Assembly.GetManifestResourceStream("GrowthOs.Sandbox.Shopify.GraphQl.admin.graphql")
                           ?? throw new InvalidOperationException("The Admin API schema (admin.graphql) is not embedded.");
        using var reader = new StreamReader(stream);
        return Parser.Parse(reader.ReadToEnd(), new ParserOptions { Ignore = IgnoreOptions.Comments });
    });

    private static readonly ConcurrentDictionary<string, AdminSchema> Versions = new();

    public static readonly IReadOnlySet<string> BuiltInScalars = new HashSet<string> { "ID", "String", "Int", "Float", "Boolean" };

    private readonly Dictionary<string, SchemaType> _types = new(StringComparer.Ordinal);

    public string Version { get; }
    public SchemaType QueryRoot => _types["QueryRoot"];
    public SchemaType Mutation => _types["Mutation"];

    private AdminSchema(string version)
    {
        Version = version;
        foreach (var scalar in BuiltInScalars) _types[scalar] = Leaf(scalar, TypeKind.Scalar);
        foreach (var definition in Sdl.Value.Definitions)
        {
            var type = definition switch
            {
                GraphQLScalarTypeDefinition scalar => Leaf(scalar.Name.StringValue, TypeKind.Scalar),
                GraphQLEnumTypeDefinition @enum => new SchemaType(@enum.Name.StringValue, TypeKind.Enum, new Dictionary<string, SchemaField>(),
                    new HashSet<string>(), (@enum.Values?.Items ?? []).Select(v => v.Name.StringValue).ToHashSet()),
                GraphQLObjectTypeDefinition @object => Composite(@object.Name.StringValue, TypeKind.Object, @object.Fields, @object.Interfaces),
                GraphQLInterfaceTypeDefinition @interface => Composite(@interface.Name.StringValue, TypeKind.Interface, @interface.Fields, null),
                GraphQLInputObjectTypeDefinition input => new SchemaType(input.Name.StringValue, TypeKind.Input,
                    (input.Fields?.Items ?? []).Where(f => InVersion(f)).ToDictionary(f => f.Name.StringValue,
                        f => new SchemaField(f.Name.StringValue, TypeRef.From(f.Type), new Dictionary<string, SchemaArgument>())),
                    new HashSet<string>(), new HashSet<string>()),
                _ => null,
            };
            if (type is not null) _types[type.Name] = type;
        }
    }

    public static AdminSchema For(string version) => Versions.GetOrAdd(version, v => new AdminSchema(v));

    public SchemaType? Type(string name) => _types.GetValueOrDefault(name);

    /// <summary>True when <paramref name="concrete"/> is <paramref name="condition"/> or implements it.</summary>
    public bool Satisfies(string concrete, string condition) =>
        concrete == condition || _types.GetValueOrDefault(concrete)?.Interfaces.Contains(condition) == true;

    private static SchemaType Leaf(string name, TypeKind kind) =>
        new(name, kind, new Dictionary<string, SchemaField>(), new HashSet<string>(), new HashSet<string>());

    private SchemaType Composite(string name, TypeKind kind, GraphQLFieldsDefinition? fields, GraphQLImplementsInterfaces? interfaces) => new(
        name,
        kind,
        (fields?.Items ?? []).Where(f => InVersion(f)).ToDictionary(
            f => f.Name.StringValue,
            f => new SchemaField(f.Name.StringValue, TypeRef.From(f.Type),
                (f.Arguments?.Items ?? []).ToDictionary(a => a.Name.StringValue,
                    a => new SchemaArgument(a.Name.StringValue, TypeRef.From(a.Type), a.DefaultValue)))),
        (interfaces?.Items ?? []).Select(i => i.Name.StringValue).ToHashSet(),
        new HashSet<string>());

    private bool InVersion(IHasDirectivesNode field)
    {
        foreach (var directive in field.Directives?.Items ?? [])
        {
            var version = (directive.Arguments?.ValueFor("version") as GraphQLStringValue)?.Value.ToString();
            if (version is null) continue;
            if (directive.Name == "since" && string.CompareOrdinal(Version, version) < 0) return false;
            if (directive.Name == "until" && string.CompareOrdinal(Version, version) >= 0) return false;
        }
        return true;
    }
}
