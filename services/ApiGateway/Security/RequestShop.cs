using System.Text.Json;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.ApiGateway.Security;

/// <summary>The shop a request names, trimmed and lower-cased: its <c>shop</c> query parameter, or a JSON body's <c>shop</c>.</summary>
public sealed record RequestShop(string? Shop);

/// <summary>
/// Finds the shop a request names before it is limited, authorized and audited. A JSON body (small: the gateway's
/// body limit holds) is buffered so the service behind still reads it whole; any other body (a replay upload) is
/// streamed on untouched and names its shop in the query.
/// A shop that is not a shop's domain is refused here with 400 naming <c>shop</c>, before any service sees it.
/// </summary>
public sealed class RequestShopMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var shop = await Find(context);
        if (shop is not null && ShopDomains.Validate(shop) is { } problem)
        {
            await Problems.InvalidParameter("shop", problem).ExecuteAsync(context);
            return;
        }
        context.Features.Set(new RequestShop(shop));
        await next(context);
    }

    public static RequestShop Of(HttpContext context) => context.Features.Get<RequestShop>() ?? new RequestShop(null);

    private static async Task<string?> Find(HttpContext context)
    {
        var request = context.Request;
        if (request.Query.TryGetValue("shop", out var query) && !string.IsNullOrWhiteSpace(query.ToString()))
            return ShopDomains.Normalize(query.ToString());
        if (!HttpMethods.IsPost(request.Method) || request.HasJsonContentType() is false) return null;

        request.EnableBuffering();
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("shop", out var shop) && shop.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(shop.GetString())
                    ? ShopDomains.Normalize(shop.GetString()!)
                    : null;
        }
        catch (JsonException)
        {
            return null; // the service behind names what is wrong with the body
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
