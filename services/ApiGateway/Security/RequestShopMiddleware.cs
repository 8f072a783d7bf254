using System.Text.Json;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// Finds the shop a request names before it is limited, authorized and audited: its <c>shop</c> query parameter and a
/// JSON body's <c>shop</c>, in whatever case the body spells it (the services read the body's names without regard to
/// case). A body is read only for a caller whose key was accepted, and only up to <see cref="MaxParsedBodyBytes"/>;
/// it is buffered so the service behind still reads it whole. Any other body (a replay upload) is streamed on
/// untouched and names its shop in the query. Refused here with 400 naming <c>shop</c>, before any service sees it: a
/// shop that is not a shop's domain, a body naming <c>shop</c> more than once (in any case), a query and a body naming
/// different shops.
/// </summary>
public sealed class RequestShopMiddleware(RequestDelegate next)
{
    /// <summary>The largest JSON body whose shop is read; a larger one (none of the routes that name a shop in their body takes one) is not parsed.</summary>
    public const int MaxParsedBodyBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var (shop, refusal) = await Find(context);
        if (refusal is null && shop is not null) refusal = ShopDomains.Validate(shop);
        if (refusal is not null)
        {
            await Problems.InvalidParameter("shop", refusal).ExecuteAsync(context);
            return;
        }
        context.Features.Set(new RequestShop(shop));
        await next(context);
    }

    public static RequestShop Of(HttpContext context) => context.Features.Get<RequestShop>() ?? new RequestShop(null);

    private static async Task<(string? Shop, string? Refusal)> Find(HttpContext context)
    {
        var request = context.Request;
        string? queried = null;
        if (request.Query.TryGetValue("shop", out var query))
        {
            if (query.Count > 1) return (null, "shop is named more than once in the query.");
            if (!string.IsNullOrWhiteSpace(query.ToString())) queried = ShopDomains.Normalize(query.ToString());
        }
        var (bodied, refusal) = await FromBody(context);
        if (refusal is not null) return (null, refusal);
        if (queried is not null && bodied is not null && queried != bodied)
            return (null, $"The query names shop {queried} and the body {bodied}: a request acts on one shop.");
        return (queried ?? bodied, null);
    }

    private static async Task<(string? Shop, string? Refusal)> FromBody(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method)) return (null, null);
        if (request.HasJsonContentType() is false || context.User.Identity?.IsAuthenticated != true) return (null, null);
        if (request.ContentLength > MaxParsedBodyBytes) return (null, null);

        request.EnableBuffering();
        try
        {
            // One byte past the cap tells a body over it; a body that says its length needs no more.
            var buffer = new byte[(request.ContentLength is { } declared ? (int)declared : MaxParsedBodyBytes) + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0) length += read;
            if (length > MaxParsedBodyBytes) return (null, null);
            context.Features.Set(RequestBodyDigest.Of(buffer.AsSpan(0, length)));
            using var body = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (body.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            var named = body.RootElement.EnumerateObject().Where(p => string.Equals(p.Name, "shop", StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count > 1) return (null, $"The body names shop {named.Count} times ({string.Join(", ", named.Select(p => p.Name))}): name it once.");
            return named.Count == 1 && named[0].Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(named[0].Value.GetString())
                ? (ShopDomains.Normalize(named[0].Value.GetString()!), null)
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null); // the service behind names what is wrong with the body
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
