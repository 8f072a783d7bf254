namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>What answers the fields of each type: the value of a field of a source object, and the type of a value under an interface.</summary>
public interface IFieldResolver
{
    object? Resolve(string typeName, string fieldName, object source, Arguments arguments);

    string TypeOf(object value);
}
