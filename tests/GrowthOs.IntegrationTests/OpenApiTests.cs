using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>The merged OpenAPI document at the gateway: every route of every service behind it, with the role it needs.</summary>
[Collection(SystemCollection.Name)]
public sealed partial class OpenApiTests(RunningSystem system)
{
    private static readonly string[] Services = ["IngestSaga", "Connector", "Transform", "KpiAlert", "ApiGateway"];

    /// <summary>Where the gateway answers a service's path: the same, but for Shopify's webhooks (gateway route shopify-webhooks).</summary>
    private static string PublicPath(string path) => path == "/api/ingest/webhooks/shopify" ? "/webhooks/shopify" : path;

    [Fact]
    public async Task Every_route_mapped_in_a_services_code_is_in_the_gateways_document_with_the_role_it_needs()
    {
        using var anonymous = system.GatewayClient(apiKey: null);
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(document.TryGetProperty("x-growthos-unavailable", out var missing), $"services missing from the document: {missing}");
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"),
            (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        var operations = Operations(document);

        // The routes the code maps (app.MapGet("/api/..."), constraints dropped), service by service, health and OpenAPI aside.
        var mapped = Services.SelectMany(service =>
                Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "services", service), "*.cs", SearchOption.AllDirectories)
                .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(file => MapCall().Matches(File.ReadAllText(file)))
                .Select(match => (Method: match.Groups["verb"].Value.ToLowerInvariant(),
                    Path: PublicPath(Constraint().Replace(match.Groups["path"].Value, "}")))))
            .Where(route => !route.Path.StartsWith("/openapi", StringComparison.Ordinal))
            .ToList();
        Assert.True(mapped.Count >= 25, $"only {mapped.Count} routes found in the code");
        foreach (var route in mapped)
            Assert.True(operations.ContainsKey(route), $"{route.Method.ToUpperInvariant()} {route.Path} is mapped but not in /openapi/v1.json");
        Assert.Equal(mapped.Count, operations.Count);

        Assert.Equal("operator", Role(operations[("post", "/api/performance-metrics/sync")]));
        Assert.Equal("viewer", Role(operations[("get", "/api/ingest/runs/{runId}")]));
        Assert.Equal("viewer", Role(operations[("get", "/api/ingest/runs/{runId}/evidence")]));
        Assert.Equal("admin", Role(operations[("get", "/api/audit")]));
        Assert.Equal("admin", Role(operations[("post", "/api/keys")]));
        Assert.Equal("admin", Role(operations[("delete", "/api/keys/{id}")]));
        Assert.Equal("viewer", Role(operations[("get", "/api/connections")]));
        Assert.Equal("operator", Role(operations[("post", "/api/connections")]));
        Assert.Equal("operator", Role(operations[("patch", "/api/connections/{id}")]));
        Assert.Equal("admin", Role(operations[("delete", "/api/connections/{id}")]));
        Assert.Contains("**operator**", operations[("post", "/api/ingest/backfill")].GetProperty("description").GetString());
        var webhook = operations[("post", "/webhooks/shopify")];
        Assert.Equal("anonymous", Role(webhook));
        Assert.Equal(0, webhook.GetProperty("security").GetArrayLength());
        Assert.Equal("ApiKey", operations[("get", "/api/kpis")].GetProperty("security")[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Every_route_of_the_gateway_has_its_operations_in_the_document_and_the_document_can_be_browsed()
    {
        using var anonymous = system.GatewayClient(apiKey: null);
        var operations = Operations(await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json"));
        using var settings = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "services", "ApiGateway", "appsettings.json")));
        foreach (var route in settings.RootElement.GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject())
        {
            var pattern = route.Value.GetProperty("Match").GetProperty("Path").GetString()!;
            var prefix = pattern.Split("/{**")[0];
            Assert.True(operations.Keys.Any(o => o.Path == pattern || o.Path.StartsWith(prefix + "/", StringComparison.Ordinal) || o.Path == prefix
                    || Regex.IsMatch(o.Path, "^" + Regex.Replace(Regex.Escape(pattern), @"\\\{[^}]+}", "[^/]+") + "$")),
                $"route {route.Name} ({pattern}) has no operation in the document");
        }

        var page = await anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // Scalar's page resolves the document's URL against the application's root: /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/docs/scalar.js")).StatusCode);
    }

    [Fact]
    public async Task The_dashboards_API_types_are_generated_from_the_document_the_gateway_serves()
    {
        using var anonymous = system.GatewayClient(apiKey: null);
        var served = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        Assert.Null(served["x-growthos-schema-conflicts"]);
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "web", "dashboard", "openapi.json")))!;
        Assert.True(JsonNode.DeepEquals(served, committed),
            "web/dashboard/openapi.json is not the document the gateway serves (first difference at "
            + $"{FirstDifference(served, committed, "$")}): run web/dashboard/openapi.sh against a running gateway (./run.sh) "
            + "and commit it with the types it writes; web/dashboard/build.sh then type-checks the dashboard against them.");

        // A response the dashboard reads is described field by field, nullability included.
        var pulse = served["components"]!["schemas"]!["SalesPulse"]!;
        Assert.Equal("integer", pulse["properties"]!["revenue_minor"]!["type"]!.GetValue<string>());
        Assert.Contains("null", pulse["properties"]!["currency_code"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("days", pulse["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    /// <summary>The JSON path of the first place two documents differ.</summary>
    private static string FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject objectA && b is JsonObject objectB)
        {
            foreach (var name in objectA.Select(p => p.Key).Union(objectB.Select(p => p.Key)))
                if (!JsonNode.DeepEquals(objectA[name], objectB[name])) return FirstDifference(objectA[name], objectB[name], $"{path}['{name}']");
        }
        else if (a is JsonArray arrayA && b is JsonArray arrayB && arrayA.Count == arrayB.Count)
        {
            for (var i = 0; i < arrayA.Count; i++)
                if (!JsonNode.DeepEquals(arrayA[i], arrayB[i])) return FirstDifference(arrayA[i], arrayB[i], $"{path}[{i}]");
        }
        return path;
    }

    private static Dictionary<(string Method, string Path), JsonElement> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name != "parameters").Select(o => (Key: (o.Name, path.Name), o.Value)))
            .ToDictionary(o => o.Key, o => o.Value);

    private static string? Role(JsonElement operation) => operation.GetProperty("x-growthos-role").GetString();

    [GeneratedRegex("""\.Map(?<verb>Get|Post|Put|Delete|Patch)\(\s*"(?<path>/[^"]*)"\s*,""")]
    private static partial Regex MapCall();

    [GeneratedRegex(":[a-z]+}")]
    private static partial Regex Constraint();
}
