using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// A GraphQL request parsed by a real GraphQL parser and checked against the Admin API schema of its version, as
/// Shopify checks it before running anything: unknown fields and arguments, missing required arguments, selections
/// on scalars or missing on objects, undeclared or unused variables, unknown fragments and impossible type conditions.
/// </summary>
public sealed partial class PreparedOperation
{
    /// <summary>A Shopify global id: <c>gid://shopify/Type/123</c>, maybe with a query string.</summary>
    private static readonly System.Text.RegularExpressions.Regex GlobalId = GlobalIdPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^gid://shopify/[A-Za-z]+/[^/\s]+$")]
    private static partial System.Text.RegularExpressions.Regex GlobalIdPattern();

    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<(SchemaType Type, object Selection), List<CollectedField>> _collected = new(SameInstances.Comparer);
    private readonly Dictionary<GraphQLField, Arguments> _arguments = new(ReferenceEqualityComparer.Instance);

    public AdminSchema Schema { get; }
    public ROM Source { get; }
    public GraphQLOperationDefinition Operation { get; }
    public SchemaType RootType { get; }
    public bool IsMutation => Operation.Operation == OperationType.Mutation;

    private PreparedOperation(AdminSchema schema, ROM source, GraphQLOperationDefinition operation, SchemaType rootType)
    {
        Schema = schema;
        Source = source;
        Operation = operation;
        RootType = rootType;
    }

    /// <summary>Parses and validates <paramref name="query"/>; throws <see cref="GraphQlRequestException"/> with Shopify's errors.</summary>
    public static PreparedOperation Prepare(AdminSchema schema, string query, string? operationName, JsonObject? variables)
    {
        ROM source = query;
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(source, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException exception)
        {
            var (line, column) = (exception.Location.Line, exception.Location.Column);
            throw new GraphQlRequestException([new GraphQlError($"syntax error, unexpected {TokenAt(query, line, column)} at [{line}, {column}]",
                [new Location(line, column)], null, new JsonObject { ["code"] = "PARSE_ERROR" })]);
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is { Length: > 0 }
            ? operations.FirstOrDefault(o => o.Name == operationName)
              ?? throw Request($"No operation named \"{operationName}\"")
            : operations.Count switch
            {
                0 => throw Request("No operations in query document"),
                1 => operations[0],
                _ => throw Request("An operation name is required"),
            };
        var root = operation.Operation switch
        {
            OperationType.Query => schema.QueryRoot,
            OperationType.Mutation => schema.Mutation,
            _ => throw Request("Subscriptions are not supported"),
        };

        var prepared = new PreparedOperation(schema, source, operation, root);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
            prepared._fragments[fragment.FragmentName.Name.StringValue] = fragment;

        var validation = new Validation(prepared);
        validation.Run(variables);
        if (validation.Errors.Count > 0) throw new GraphQlRequestException(validation.Errors);
        return prepared;
    }

    /// <summary>The token a syntax error stopped at, named as Shopify's parser names it: <c>end of file</c>, or the text there.</summary>
    private static string TokenAt(string query, int line, int column)
    {
        var position = 0;
        for (var l = 1; l < line && position < query.Length; l++)
            position = query.IndexOf('\n', position) is var newline and >= 0 ? newline + 1 : query.Length;
        var rest = query[Math.Min(query.Length, position + column - 1)..].TrimStart();
        if (rest.Length == 0) return "end of file";
        var token = new string(rest.TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());
        return token.Length > 0 ? $"IDENTIFIER (\"{token}\")" : $"\"{rest[0]}\"";
    }

    private static GraphQlRequestException Request(string message) => new([new GraphQlError(message, [], null, null)]);

    /// <summary>The operation's name in paths and messages: <c>query</c>, <c>query name</c>, <c>mutation name</c>.</summary>
    public string PathRoot => (IsMutation ? "mutation" : "query") + (Operation.Name is { } name ? " " + name.StringValue : "");

    private string Described => Operation.Name is { } name ? name.StringValue : $"anonymous {(IsMutation ? "mutation" : "query")}";

    /// <summary>
    /// The fields to answer on an object of type <paramref name="concrete"/>, by response key, in order: fragments
    /// whose type condition the object satisfies are merged in, a key's sub-selections are merged, and
    /// <c>@skip</c>/<c>@include</c> are honoured.
    /// </summary>
    /// <remarks>
    /// Kept per type and selection (the same list instance, as a collected field's sub-selections are): a bulk file
    /// asks the same of every one of its objects.
    /// </remarks>
    public IReadOnlyList<CollectedField> CollectFields(SchemaType concrete, IReadOnlyList<GraphQLSelectionSet> selectionSets)
    {
        if (_collected.TryGetValue((concrete, selectionSets), out var kept)) return kept;
        var fields = new List<CollectedField>();
        var byKey = new Dictionary<string, CollectedField>(StringComparer.Ordinal);
        foreach (var selectionSet in selectionSets) Collect(concrete, selectionSet, fields, byKey);
        _collected[(concrete, selectionSets)] = fields;
        return fields;
    }

    private void Collect(SchemaType concrete, GraphQLSelectionSet selectionSet, List<CollectedField> fields, Dictionary<string, CollectedField> byKey)
    {
        foreach (var selection in selectionSet.Selections)
        {
            if (!Included(selection as IHasDirectivesNode)) continue;
            switch (selection)
            {
                case GraphQLField field:
                    var key = (field.Alias?.Name ?? field.Name).StringValue;
                    if (!byKey.TryGetValue(key, out var collected))
                    {
                        collected = new CollectedField(key, field, []);
                        byKey[key] = collected;
                        fields.Add(collected);
                    }
                    if (field.SelectionSet is { } set) collected.SelectionSets.Add(set);
                    break;
                case GraphQLInlineFragment inline when inline.TypeCondition is null
                                                       || Schema.Satisfies(concrete.Name, inline.TypeCondition.Type.Name.StringValue):
                    Collect(concrete, inline.SelectionSet, fields, byKey);
                    break;
                case GraphQLFragmentSpread spread when _fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                                                       && Schema.Satisfies(concrete.Name, fragment.TypeCondition.Type.Name.StringValue):
                    Collect(concrete, fragment.SelectionSet, fields, byKey);
                    break;
            }
        }
    }

    /// <summary>
    /// Every field selected on <paramref name="type"/> whatever the concrete type turns out to be: fragments on any
    /// possible type included, each field with the type it is selected on (<see cref="QueryCost"/> sums them all).
    /// </summary>
    public List<(string Name, GraphQLField Field, List<GraphQLSelectionSet> SelectionSets, SchemaType Owner)> CollectFieldsOfAnyType(
        SchemaType type, IEnumerable<GraphQLSelectionSet> selectionSets)
    {
        var fields = new List<(string, GraphQLField, List<GraphQLSelectionSet>, SchemaType)>();
        foreach (var selectionSet in selectionSets) CollectAny(type, selectionSet, fields, []);
        return fields;
    }

    private void CollectAny(SchemaType type, GraphQLSelectionSet selectionSet, List<(string, GraphQLField, List<GraphQLSelectionSet>, SchemaType)> fields,
        HashSet<string> spreading)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    fields.Add((field.Name.StringValue, field, field.SelectionSet is { } set ? [set] : [], type));
                    break;
                case GraphQLInlineFragment inline:
                    CollectAny(inline.TypeCondition is { } condition ? Schema.Type(condition.Type.Name.StringValue) ?? type : type, inline.SelectionSet,
                        fields, spreading);
                    break;
                case GraphQLFragmentSpread spread when _fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                                                       && spreading.Add(fragment.FragmentName.Name.StringValue):
                    CollectAny(Schema.Type(fragment.TypeCondition.Type.Name.StringValue) ?? type, fragment.SelectionSet, fields, spreading);
                    spreading.Remove(fragment.FragmentName.Name.StringValue);
                    break;
            }
        }
    }

    /// <summary>A field's argument values; the same for every object the field is answered on, so they are worked out once.</summary>
    public Arguments ArgumentsOf(GraphQLField field, SchemaField definition)
    {
        if (_arguments.TryGetValue(field, out var kept)) return kept;
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var argument in definition.Arguments.Values)
        {
            var given = field.Arguments?.ValueFor(argument.Name);
            if (given is GraphQLVariable variable && !_variables.ContainsKey(variable.Name.StringValue)) given = null;
            var value = given ?? argument.DefaultValue;
            if (value is not null) values[argument.Name] = ValueOf(value);
        }
        return _arguments[field] = new Arguments(values);
    }

    private bool Included(IHasDirectivesNode? node)
    {
        foreach (var directive in node?.Directives?.Items ?? [])
        {
            var condition = directive.Arguments?.ValueFor("if") is { } value && ValueOf(value) is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;
            if (directive.Name == "skip" && condition) return false;
            if (directive.Name == "include" && !condition) return false;
        }
        return true;
    }

    private JsonNode? ValueOf(GraphQLValue value) => value switch
    {
        GraphQLVariable variable => _variables.GetValueOrDefault(variable.Name.StringValue)?.DeepClone(),
        GraphQLNullValue => null,
        GraphQLStringValue text => JsonValue.Create(text.Value.ToString()),
        GraphQLIntValue integer => JsonValue.Create(long.Parse(integer.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLFloatValue number => JsonValue.Create(decimal.Parse(number.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture)),
        GraphQLBooleanValue flag => JsonValue.Create(flag.BoolValue),
        GraphQLEnumValue @enum => JsonValue.Create(@enum.Name.StringValue),
        GraphQLListValue list => new JsonArray((list.Values ?? []).Select(ValueOf).ToArray()),
        GraphQLObjectValue @object => new JsonObject((@object.Fields ?? []).Select(f => KeyValuePair.Create(f.Name.StringValue, ValueOf(f.Value)))),
        _ => null,
    };

    /// <summary>The checks, in the order graphql-ruby reports them; every error is collected, none stops the walk.</summary>
    private sealed class Validation(PreparedOperation prepared)
    {
        private readonly HashSet<string> _usedVariables = new(StringComparer.Ordinal);
        private readonly HashSet<string> _usedFragments = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
        public List<GraphQlError> Errors { get; } = [];

        private AdminSchema Schema => prepared.Schema;

        public void Run(JsonObject? variables)
        {
            var declarations = prepared.Operation.Variables?.Items ?? [];
            foreach (var declaration in declarations) _declared.Add(declaration.Variable.Name.StringValue);

            Walk(prepared.RootType, prepared.Operation.SelectionSet, [prepared.PathRoot], []);

            foreach (var name in _usedVariables.Where(v => !_declared.Contains(v)))
                Errors.Add(new GraphQlError($"Variable ${name} is used by {prepared.Described} but not declared", [], [prepared.PathRoot],
                    new JsonObject { ["code"] = "variableNotDefined", ["variableName"] = name }));
            foreach (var declaration in declarations.Where(d => !_usedVariables.Contains(d.Variable.Name.StringValue)))
                Errors.Add(GraphQlError.At(prepared.Source, declaration, [prepared.PathRoot],
                    $"Variable ${declaration.Variable.Name.StringValue} is declared by {prepared.Described} but not used", "variableNotUsed",
                    ("variableName", declaration.Variable.Name.StringValue)));
            foreach (var (name, fragment) in prepared._fragments.Where(f => !_usedFragments.Contains(f.Key)))
                Errors.Add(GraphQlError.At(prepared.Source, fragment, [$"fragment {name}"], $"Fragment {name} was defined, but not used",
                    "useAndDefineFragment", ("fragmentName", name)));
            if (Errors.Count > 0) return;

            foreach (var declaration in declarations)
            {
                var name = declaration.Variable.Name.StringValue;
                var type = TypeRef.From(declaration.Type);
                JsonNode? value = null;
                var given = variables is not null && variables.TryGetPropertyValue(name, out value);
                if (!given && declaration.DefaultValue is { } fallback) value = prepared.ValueOf(fallback);
                if (value is null && type.NonNull)
                {
                    Errors.Add(InvalidVariable(declaration, name, type, null, "Expected value to not be null"));
                    continue;
                }
                if (type.Named == "ID" && value is JsonValue id && id.TryGetValue<string>(out var text) && !GlobalId.IsMatch(text))
                {
                    Errors.Add(InvalidVariable(declaration, name, type, text, $"Invalid global id '{text}'"));
                    continue;
                }
                prepared._variables[name] = value?.DeepClone();
            }
        }

        private GraphQlError InvalidVariable(GraphQLVariableDefinition declaration, string name, TypeRef type, string? value, string explanation) =>
            new($"Variable ${name} of type {type} was provided invalid value", [Location.FromLinearPosition(prepared.Source, declaration.Location.Start)], null,
                new JsonObject
                {
                    ["code"] = "INVALID_VARIABLE",
                    ["value"] = value,
                    ["problems"] = new JsonArray(new JsonObject { ["path"] = new JsonArray(), ["explanation"] = explanation, ["message"] = explanation }),
                });

        private void Walk(SchemaType parent, GraphQLSelectionSet selectionSet, List<string> path, HashSet<string> fragmentsInWalk)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        WalkField(parent, field, path, fragmentsInWalk);
                        break;
                    case GraphQLInlineFragment inline:
                        var condition = inline.TypeCondition is { } typeCondition ? FragmentType(typeCondition, parent, path) : parent;
                        if (condition is not null) Walk(condition, inline.SelectionSet, [.. path, $"... on {condition.Name}"], fragmentsInWalk);
                        break;
                    case GraphQLFragmentSpread spread:
                        var name = spread.FragmentName.Name.StringValue;
                        _usedFragments.Add(name);
                        if (!prepared._fragments.TryGetValue(name, out var fragment))
                        {
                            Errors.Add(GraphQlError.At(prepared.Source, spread, path, $"Fragment {name} was used, but not defined", "useAndDefineFragment",
                                ("fragmentName", name)));
                            break;
                        }
                        if (!fragmentsInWalk.Add(name))
                        {
                            Errors.Add(GraphQlError.At(prepared.Source, spread, path, $"Fragment {name} contains an infinite loop", "infiniteLoop",
                                ("fragmentName", name)));
                            break;
                        }
                        if (FragmentType(fragment.TypeCondition, parent, path) is { } type)
                            Walk(type, fragment.SelectionSet, [.. path, $"... {name}"], fragmentsInWalk);
                        fragmentsInWalk.Remove(name);
                        break;
                }
            }
        }

        private SchemaType? FragmentType(GraphQLTypeCondition condition, SchemaType parent, List<string> path)
        {
            var name = condition.Type.Name.StringValue;
            if (Schema.Type(name) is not { Kind: TypeKind.Object or TypeKind.Interface } type)
            {
                Errors.Add(GraphQlError.At(prepared.Source, condition, path, $"No such type {name}, so it can't be a fragment condition", "undefinedType",
                    ("typeName", name)));
                return null;
            }
            if (!Schema.Satisfies(type.Name, parent.Name) && !Schema.Satisfies(parent.Name, type.Name))
            {
                Errors.Add(GraphQlError.At(prepared.Source, condition, path, $"Fragment on {type.Name} can't be spread inside {parent.Name}",
                    "cannotSpreadFragment", ("typeName", type.Name), ("parentName", parent.Name)));
                return null;
            }
            return type;
        }

        private void WalkField(SchemaType parent, GraphQLField field, List<string> path, HashSet<string> fragmentsInWalk)
        {
            var name = field.Name.StringValue;
            var fieldPath = new List<string>(path) { name };
            if (name == "__typename")
            {
                if (field.SelectionSet is not null)
                    Errors.Add(ScalarSelection(field, fieldPath, name, "String!"));
                return;
            }
            if (!parent.Fields.TryGetValue(name, out var definition))
            {
                Errors.Add(GraphQlError.At(prepared.Source, field, fieldPath, $"Field '{name}' doesn't exist on type '{parent.Name}'", "undefinedField",
                    ("typeName", parent.Name), ("fieldName", name)));
                return;
            }

            foreach (var argument in field.Arguments?.Items ?? [])
            {
                var argumentName = argument.Name.StringValue;
                if (!definition.Arguments.TryGetValue(argumentName, out var argumentDefinition))
                {
                    Errors.Add(GraphQlError.At(prepared.Source, argument, [.. fieldPath, argumentName],
                        $"Field '{name}' doesn't accept argument '{argumentName}'",
                        "argumentNotAccepted", ("name", name), ("typeName", "Field"), ("argumentName", argumentName)));
                    continue;
                }
                CheckValue(argument.Value, argumentDefinition.Type, name, argumentName, [.. fieldPath, argumentName], argument);
            }
            var missing = definition.Arguments.Values
                .Where(a => a.Type.NonNull && a.DefaultValue is null && field.Arguments?.ValueFor(a.Name) is null)
                .Select(a => a.Name).ToList();
            if (missing.Count > 0)
                Errors.Add(GraphQlError.At(prepared.Source, field, fieldPath, $"Field '{name}' is missing required arguments: {string.Join(", ", missing)}",
                    "missingRequiredArguments", ("className", "Field"), ("name", name), ("arguments", string.Join(", ", missing))));

            var type = Schema.Type(definition.Type.Named)!;
            if (type.IsLeaf && field.SelectionSet is not null)
                Errors.Add(ScalarSelection(field, fieldPath, name, definition.Type.ToString()));
            else if (!type.IsLeaf && field.SelectionSet is null)
                Errors.Add(GraphQlError.At(prepared.Source, field, fieldPath,
                    $"Field must have selections (field '{name}' returns {definition.Type} but has no selections. Did you mean '{name} {{ ... }}'?)",
                    "selectionMismatch", ("nodeName", $"field '{name}'"), ("typeName", definition.Type.ToString())));
            else if (field.SelectionSet is { } selectionSet)
                Walk(type, selectionSet, fieldPath, fragmentsInWalk);
        }

        private GraphQlError ScalarSelection(GraphQLField field, List<string> path, string name, string type) =>
            GraphQlError.At(prepared.Source, field, path,
                $"Selections can't be made on scalars (field '{name}' returns {type} but has selections "
                + $"[{string.Join(", ", field.SelectionSet!.Selections.OfType<GraphQLField>().Select(f => $"\"{f.Name.StringValue}\""))}])",
                "selectionMismatch", ("nodeName", $"field '{name}'"), ("typeName", type));

        /// <summary>A literal must fit its argument's type; a variable is noted, and its value is checked when it is bound.</summary>
        private void CheckValue(GraphQLValue value, TypeRef type, string fieldName, string argumentName, List<string> path, ASTNode at)
        {
            if (value is GraphQLVariable variable)
            {
                _usedVariables.Add(variable.Name.StringValue);
                return;
            }
            if (value is GraphQLListValue list && type.OfList is { } item)
            {
                foreach (var element in list.Values ?? []) CheckValue(element, item, fieldName, argumentName, path, at);
                return;
            }
            if (value is GraphQLObjectValue @object)
                foreach (var field in @object.Fields ?? [])
                    if (field.Value is GraphQLVariable nested) _usedVariables.Add(nested.Name.StringValue);
            if (type.Named == "ID" && value is GraphQLStringValue literal && !GlobalId.IsMatch(literal.Value.ToString()))
            {
                Errors.Add(GraphQlError.At(prepared.Source, at, path, $"Invalid global id '{literal.Value}'", "argumentLiteralsIncompatible",
                    ("typeName", "CoercionError")));
                return;
            }
            if (!Fits(value, type.OfList ?? type))
                Errors.Add(GraphQlError.At(prepared.Source, at, path,
                    $"Argument '{argumentName}' on Field '{fieldName}' has an invalid value ({Printed(value)}). Expected type '{type}'.",
                    "argumentLiteralsIncompatible", ("typeName", "Field"), ("argumentName", argumentName)));
        }

        private bool Fits(GraphQLValue value, TypeRef type)
        {
            if (value is GraphQLNullValue) return !type.NonNull;
            var named = Schema.Type(type.Named);
            return named?.Kind switch
            {
                TypeKind.Enum => value is GraphQLEnumValue e && named.EnumValues.Contains(e.Name.StringValue),
                TypeKind.Input => value is GraphQLObjectValue o && (o.Fields ?? []).All(f => named.Fields.ContainsKey(f.Name.StringValue)),
                _ => type.Named switch
                {
                    "Int" => value is GraphQLIntValue,
                    "Float" => value is GraphQLIntValue or GraphQLFloatValue,
                    "Boolean" => value is GraphQLBooleanValue,
                    "ID" => value is GraphQLStringValue or GraphQLIntValue,
                    _ => value is GraphQLStringValue,
                },
            };
        }

        private static string Printed(GraphQLValue value) => value switch
        {
            GraphQLStringValue text => $"\"{text.Value}\"",
            GraphQLIntValue integer => integer.Value.ToString(),
            GraphQLFloatValue number => number.Value.ToString(),
            GraphQLBooleanValue flag => flag.BoolValue ? "true" : "false",
            GraphQLEnumValue @enum => @enum.Name.StringValue,
            _ => value.Kind.ToString(),
        };
    }

    /// <summary>Keys of the same type and the same selection instance, whatever their contents compare as.</summary>
    private sealed class SameInstances : IEqualityComparer<(SchemaType Type, object Selection)>
    {
        public static readonly SameInstances Comparer = new();

        public bool Equals((SchemaType Type, object Selection) x, (SchemaType Type, object Selection) y) =>
            ReferenceEquals(x.Type, y.Type) && ReferenceEquals(x.Selection, y.Selection);

        public int GetHashCode((SchemaType Type, object Selection) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Type),
                System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Selection));
    }
}
