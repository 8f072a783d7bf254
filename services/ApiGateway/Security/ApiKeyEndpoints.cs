using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// The keys, for admin keys: <c>GET /api/keys</c> lists those of the settings and those made at run time (ids, roles,
/// shops, never a hash); <c>POST /api/keys</c> <c>{ "id", "role", "shops" }</c> makes one and answers it once;
/// <c>DELETE /api/keys/{id}</c> revokes one made at run time. A key limited to shops sees and makes only keys limited
/// to its shops, and names one of them in <c>shop</c>.
/// </summary>
public static partial class ApiKeyEndpoints
{
    public static WebApplication MapApiKeyEndpoints(this WebApplication app)
    {
        app.MapGet("/api/keys", List).RequireAuthorization(Roles.Admin);
        // A 201 without a Location header: the answer is the key itself, shown this once.
        app.MapPost("/api/keys", Create).RequireAuthorization(Roles.Admin).Produces<ApiKeyCreated>(StatusCodes.Status201Created);
        app.MapDelete("/api/keys/{id}", Revoke).RequireAuthorization(Roles.Admin);
        return app;
    }

    private static IEnumerable<ApiKeyView> All(IOptions<ApiKeyOptions> settings, ApiKeyStore store) =>
        settings.Value.Keys.Select(k => new ApiKeyView(k.Id, k.Role, k.Shops.Select(ShopDomains.Normalize).ToList(), "settings", null, null))
            .Concat(store.Live.Select(k => new ApiKeyView(k.Entry.Id, k.Entry.Role, k.Entry.Shops, "api", k.CreatedBy, k.CreatedAt)));

    /// <summary>A key the caller may see: any, for a key of every shop; else itself and the keys limited to its shops only.</summary>
    private static bool Sees(ClaimsPrincipal user, ApiKeyView key)
    {
        var mine = user.Shops();
        return mine.Length == 0 || key.Id == user.KeyId() || (key.Shops.Count > 0 && key.Shops.All(mine.Contains));
    }

    private static Ok<ApiKeyList> List(ClaimsPrincipal user, IOptions<ApiKeyOptions> settings, ApiKeyStore store) =>
        TypedResults.Ok(new ApiKeyList(All(settings, store).Where(k => Sees(user, k)).ToList()));

    private static async Task<Results<JsonHttpResult<ApiKeyCreated>, ProblemHttpResult>> Create(HttpRequest request, ClaimsPrincipal user,
        IOptions<ApiKeyOptions> settings, ApiKeyStore store, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Problems.InvalidParameter("body", "The body must be a JSON object: { \"id\", \"role\", \"shops\" }.");
        }
        if (body.ValueKind != JsonValueKind.Object)
            return Problems.InvalidParameter("body", "The body must be a JSON object: { \"id\", \"role\", \"shops\" }.");
        var id = body.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : "";
        if (!KeyId().IsMatch(id))
            return Problems.InvalidParameter("id", "id must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        var role = body.TryGetProperty("role", out var roleValue) && roleValue.ValueKind == JsonValueKind.String ? roleValue.GetString()! : "";
        if (role is not (Roles.Viewer or Roles.Operator or Roles.Admin)) return Problems.InvalidParameter("role", "role must be viewer, operator or admin.");
        var shops = new List<string>();
        if (body.TryGetProperty("shops", out var shopsValue))
        {
            if (shopsValue.ValueKind != JsonValueKind.Array || shopsValue.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
                return Problems.InvalidParameter("shops", "shops must be an array of shop domains (empty or absent: every shop).");
            foreach (var shop in shopsValue.EnumerateArray().Select(s => s.GetString()!))
            {
                if (ShopDomains.Validate(shop) is { } problem) return Problems.InvalidParameter("shops", problem);
                if (!shops.Contains(ShopDomains.Normalize(shop))) shops.Add(ShopDomains.Normalize(shop));
            }
        }
        // A key limited to shops makes only keys limited to some of its shops.
        var mine = user.Shops();
        if (mine.Length > 0 && (shops.Count == 0 || !shops.All(mine.Contains)))
            return Problems.Forbidden(
                $"The API key '{user.KeyId()}' is limited to {string.Join(", ", mine)}: the key it makes must be limited to some of them.");
        // An id of the settings, or of any key made before (a revoked one keeps its row), is not given again.
        var key = settings.Value.Keys.Any(k => k.Id == id) ? null : await store.Create(id, role, shops, user.KeyId()!, cancellationToken);
        if (key is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"A key named '{id}' exists or existed; choose another id.", extensions: new Dictionary<string, object?> { ["parameter"] = "id" });
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new ApiKeyCreated(id, role, shops, key, "The key is shown this once: the gateway keeps only its salted hash."),
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(string id, ClaimsPrincipal user, IOptions<ApiKeyOptions> settings,
        ApiKeyStore store, CancellationToken cancellationToken)
    {
        var key = All(settings, store).FirstOrDefault(k => k.Id == id);
        // A key the caller may not see is one it cannot name: not found, as if there were none.
        if (key is null || !Sees(user, key))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: $"There is no live key named '{id}' this key may revoke.");
        if (key.Source == "settings")
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The key '{id}' comes from the gateway's settings (ApiKeys:Keys): remove it there.");
        if (!await store.Revoke(id, user.KeyId()!, cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: $"There is no live key named '{id}' this key may revoke.");
        return TypedResults.NoContent();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex KeyId();
}
