namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>A request the server cannot run: its errors are the answer, with no <c>data</c>.</summary>
public sealed class GraphQlRequestException(IReadOnlyList<GraphQlError> errors) : Exception(errors.Count > 0 ? errors[0].Message : "Invalid GraphQL request")
{
    public IReadOnlyList<GraphQlError> Errors { get; } = errors;
}
