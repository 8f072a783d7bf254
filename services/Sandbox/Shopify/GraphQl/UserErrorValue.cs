namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record UserErrorValue(IReadOnlyList<string>? Field, string Message, string? Code = null);
