namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>A field that cannot be answered: its value is null and the answer's <c>errors</c> say why.</summary>
public sealed class FieldException(string message, string code, params (string Key, string Value)[] details) : Exception(message)
{
    public string Code { get; } = code;
    public (string Key, string Value)[] Details { get; } = details;
}
