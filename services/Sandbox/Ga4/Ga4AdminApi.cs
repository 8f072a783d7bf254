using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Ga4;

/// <summary>
/// The Google Analytics Admin API's <c>GET /v1beta/properties/{property_id}</c> under <c>/ga4-admin</c> (the base URL is
/// the only difference from <c>https://analyticsadmin.googleapis.com</c>): the property's <c>name</c>,
/// <c>displayName</c>, <c>timeZone</c>, <c>currencyCode</c>, <c>propertyType</c>, <c>serviceLevel</c>, its
/// <c>parent</c> and <c>account</c>, as a connection's check reads them. A token that reaches no property is 401
/// UNAUTHENTICATED; one that does not reach this property, or a property that does not exist, 403 PERMISSION_DENIED (the
/// API does not tell the two apart), in Google's envelope.
/// </summary>
public sealed class Ga4AdminApi(IOptions<SandboxOptions> options, DemoShops shops, Ga4DataApi data)
{
    public static IEndpointRouteBuilder MapGa4AdminApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/ga4-admin/{version}/properties/{propertyId}", (string version, string propertyId, HttpContext http, Ga4AdminApi api) =>
            api.Property(version, propertyId, http));
        return app;
    }

    private IResult Property(string version, string propertyId, HttpContext http)
    {
        if (version is not ("v1beta" or "v1alpha")) return Error(404, "NOT_FOUND", $"Version {version} of the Admin API is not known.");
        var properties = options.Value.Ga4.Properties;
        var token = http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..]
            : "";
        if (!properties.Any(p => data.Reaches(token, p)))
            return Error(401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. "
                + "See https://developers.google.com/identity/sign-in/web/devconsole-project.");
        var property = properties.FirstOrDefault(p => p.Id == propertyId);
        if (property is null || !data.Reaches(token, property)) return Error(403, "PERMISSION_DENIED", "The caller does not have permission");
        var shop = shops.Settings(property.Shop);
        var account = $"accounts/{1_000 + (shop?.Seed ?? 0)}";
        return Results.Json(new JsonObject
        {
            ["name"] = $"properties/{property.Id}",
            ["propertyType"] = "PROPERTY_TYPE_ORDINARY",
            ["createTime"] = "2024-03-11T09:21:44.187Z",
            ["updateTime"] = "2025-06-02T14:05:10.512Z",
            ["parent"] = account,
            ["displayName"] = $"{shop?.Name ?? property.Shop} - GA4",
            ["industryCategory"] = "SHOPPING",
            ["timeZone"] = property.TimeZone,
            ["currencyCode"] = shop?.CurrencyCode ?? "USD",
            ["serviceLevel"] = "GOOGLE_ANALYTICS_STANDARD",
            ["account"] = account,
        });
    }

    private static IResult Error(int code, string status, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status } }, statusCode: code);
}
