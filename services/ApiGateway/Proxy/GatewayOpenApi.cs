using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrowthOs.ApiGateway.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Yarp.ReverseProxy.Configuration;

namespace GrowthOs.ApiGateway.Proxy;

/// <summary>
/// The API as a caller of the gateway sees it, at <c>/openapi/v1.json</c>: the OpenAPI documents of the services behind
/// it (each serves its own at <c>/openapi/v1.json</c>) and the gateway's own, merged. Each operation keeps the path the
/// gateway answers it on, is tagged with its service, and names the role it needs (<c>x-growthos-role</c>, and in its
/// description) with the API-key security scheme; a service route no gateway route reaches is left out. <c>/docs</c>
/// browses it (Scalar). A service that does not answer is listed in <c>x-growthos-unavailable</c>.
/// </summary>
public static partial class GatewayOpenApi
{
    public const string Client = "openapi";
    public const string SecurityScheme = "ApiKey";
    /// <summary>YARP's policy name for a route that needs no caller (Shopify's webhooks).</summary>
    public const string Anonymous = "anonymous";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static IEndpointRouteBuilder MapGatewayOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v1.json", Merged).AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("GrowthOs Services API")
            .WithOpenApiRoutePattern("/openapi/v1.json")
            .AddPreferredSecuritySchemes(SecurityScheme)).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> Merged(
        IProxyConfigProvider proxy, IHttpClientFactory clients, IServiceProvider services, CancellationToken cancellationToken)
    {
        var config = proxy.GetConfig();
        var merged = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "GrowthOs Services API",
                ["version"] = "v1",
                ["description"] = "Every route of the services behind the gateway, as the gateway answers it. Send an API key in the X-Api-Key header; "
                                  + "each operation names the role it needs (viewer < operator < admin).",
            },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    [SecurityScheme] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = Security.ApiKeyOptions.HeaderName },
                },
                ["schemas"] = new JsonObject(),
            },
        };
        var unavailable = new JsonArray();

        var own = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync(cancellationToken);
        Merge(merged, JsonNode.Parse(await own.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken))!.AsObject(), "api-gateway", OwnRoute);

        foreach (var cluster in config.Clusters)
        {
            if (cluster.Destinations?.Values.FirstOrDefault()?.Address is not { } address) continue;
            JsonObject document;
            try
            {
                document = JsonNode.Parse(
                    await clients.CreateClient(Client).GetStringAsync(new Uri(new Uri(address), "openapi/v1.json"), cancellationToken))!.AsObject();
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                unavailable.Add((JsonNode)cluster.ClusterId);
                continue;
            }
            var routes = config.Routes.Where(r => r.ClusterId == cluster.ClusterId).OrderBy(r => r.Order ?? 0).ToList();
            Merge(merged, document, document["info"]?["title"]?.GetValue<string>() ?? cluster.ClusterId, (path, method) => PublicRoute(routes, path, method));
        }
        if (unavailable.Count > 0) merged["x-growthos-unavailable"] = unavailable;
        return Results.Text(merged.ToJsonString(), "application/json");
    }

    /// <summary>The gateway's own operations: on their own path, with the policy their endpoint requires.</summary>
    private static (string Path, string Role)? OwnRoute(string path, string method) => (path, "");

    /// <summary>
    /// Adds <paramref name="document"/>'s operations that <paramref name="route"/> places, and its schemas (the first of a
    /// name kept; another shape of the name is listed in <c>x-growthos-schema-conflicts</c>).
    /// </summary>
    private static void Merge(JsonObject merged, JsonObject document, string service, Func<string, string, (string Path, string Role)?> route)
    {
        var paths = merged["paths"]!.AsObject();
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            if (item is not JsonObject operations) continue;
            foreach (var method in Methods)
            {
                if (operations[method] is not JsonObject operation || route(path, method) is not var (publicPath, role)) continue;
                operation = operation.DeepClone().AsObject();
                operation["tags"] = new JsonArray(service);
                role = role.Length > 0 ? role : operation["x-growthos-role"]?.GetValue<string>() ?? Roles.Viewer;
                operation["x-growthos-role"] = role;
                if (role == Anonymous)
                    operation["security"] = new JsonArray();
                else
                {
                    operation["security"] = new JsonArray(new JsonObject { [SecurityScheme] = new JsonArray() });
                    var description = operation["description"]?.GetValue<string>();
                    operation["description"] = $"{(description is null ? "" : description + "\n\n")}Needs an API key with the role **{role}** or above.";
                }
                if (paths[publicPath] is not JsonObject target) paths[publicPath] = target = new JsonObject();
                if (operations["parameters"] is JsonArray shared && target["parameters"] is null) target["parameters"] = shared.DeepClone();
                target[method] = operation;
            }
        }
        // Two services' schemas of one name and different shapes would describe one of them wrongly: the document says so.
        var schemas = merged["components"]!["schemas"]!.AsObject();
        foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            if (!schemas.TryGetPropertyValue(name, out var existing)) schemas[name] = schema?.DeepClone();
            else if (!JsonNode.DeepEquals(existing, schema))
            {
                if (merged["x-growthos-schema-conflicts"] is not JsonArray conflicts) merged["x-growthos-schema-conflicts"] = conflicts = [];
                conflicts.Add((JsonNode)$"{name} ({service})");
            }
        }
    }

    /// <summary>
    /// Where the gateway answers a service's <paramref name="path"/> and <paramref name="method"/>, and the policy of the
    /// route that does: the first route of the service's cluster, in order, whose path and methods match (a route that
    /// sets the path sends its own path to the service's).
    /// </summary>
    internal static (string Path, string Role)? PublicRoute(IReadOnlyList<RouteConfig> routes, string path, string method)
    {
        foreach (var route in routes)
        {
            if (route.Match.Methods is { Count: > 0 } methods && !methods.Contains(method, StringComparer.OrdinalIgnoreCase)) continue;
            var setPath = route.Transforms?.Select(t => t.TryGetValue("PathSet", out var value) ? value : null).FirstOrDefault(v => v is not null);
            if (setPath is not null)
            {
                if (string.Equals(setPath, path, StringComparison.Ordinal)) return (route.Match.Path!, route.AuthorizationPolicy ?? Roles.Viewer);
                continue;
            }
            if (route.Match.Path is { } pattern && Pattern(pattern).IsMatch(Sample(path))) return (path, route.AuthorizationPolicy ?? Roles.Viewer);
        }
        return null;
    }

    /// <summary>A route pattern as a regular expression: <c>{name}</c> one segment, <c>{**rest}</c> anything after.</summary>
    private static Regex Pattern(string pattern)
    {
        var expression = string.Join("/", pattern.Split('/').Select(segment =>
            segment.StartsWith("{**", StringComparison.Ordinal) ? ".*"
            : segment.StartsWith('{') ? "[^/]+"
            : Regex.Escape(segment)));
        return new Regex($"^{expression.Replace("/.*", "(/.*)?", StringComparison.Ordinal)}$", RegexOptions.IgnoreCase);
    }

    /// <summary>An OpenAPI path with a value in each of its parameters.</summary>
    private static string Sample(string path) => Parameter().Replace(path, "x");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
