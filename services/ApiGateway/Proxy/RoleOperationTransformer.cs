using System.Text.Json.Nodes;
using GrowthOs.ApiGateway.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GrowthOs.ApiGateway.Proxy;

/// <summary>Writes each of the gateway's own operations' policy into its description (<c>x-growthos-role</c>).</summary>
public sealed class RoleOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policy = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-growthos-role"] = new JsonNodeExtension(JsonValue.Create(anonymous ? GatewayOpenApi.Anonymous : policy ?? Roles.Viewer));
        return Task.CompletedTask;
    }
}
