using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace GrowthOs.ApiGateway.Proxy;

/// <summary>What every proxied request carries to the service behind, and what it leaves at the gateway.</summary>
public static class GatewayTransforms
{
    public static IReverseProxyBuilder AddGatewayTransforms(this IReverseProxyBuilder proxy) => proxy.AddTransforms(transforms =>
    {
        // The key stops here: the services behind never see it. They see the gateway's word for the caller instead, signed
        // (GatewaySignature); a client's own X-GrowthOs-* headers are dropped first.
        transforms.AddRequestHeaderRemove(ApiKeyOptions.HeaderName);
        foreach (var header in GatewaySignature.Headers) transforms.AddRequestHeaderRemove(header);
        // A shop named in the query reaches the services as it was authorized: trimmed and lower-cased.
        transforms.AddRequestTransform(context =>
        {
            if (RequestShopMiddleware.Of(context.HttpContext).Shop is { } shop && context.Query.Collection.ContainsKey("shop"))
                context.Query.Collection["shop"] = shop;
            return ValueTask.CompletedTask;
        });
        // Then signed as it leaves: the caller, its role, the shop it was authorized for and its key's shops, with the
        // method, path and query the service receives.
        transforms.AddRequestTransform(context =>
        {
            var http = context.HttpContext;
            var secret = http.RequestServices.GetRequiredService<IOptions<GatewayTrustOptions>>().Value.Secret;
            GatewaySignature.Apply((name, value) => context.ProxyRequest.Headers.TryAddWithoutValidation(name, value), secret,
                http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), http.Request.Method, context.Path.Value ?? "/",
                context.Query.Collection, Caller(http), BodyDigest(http));
            return ValueTask.CompletedTask;
        });
    });

    /// <summary>
    /// What the request's body is signed as: the hash of a body the gateway held whole, of no body, or (a body streamed
    /// through, a replay upload) <see cref="GatewaySignature.UnsignedPayload"/>.
    /// </summary>
    public static string BodyDigest(HttpContext http) =>
        http.Features.Get<RequestBodyDigest>()?.Sha256
        ?? (http.Request.ContentLength is null or 0 && http.Request.Headers.TransferEncoding.Count == 0
            ? GatewaySignature.EmptyBody
            : GatewaySignature.UnsignedPayload);

    /// <summary>The caller as the gateway vouches for it: its key's id and role (anonymous without a key), the shop authorized, the key's shops.</summary>
    public static GatewayCaller Caller(HttpContext http) => new(
        http.User.KeyId() ?? GatewayRoles.Anonymous,
        http.User.Role() ?? GatewayRoles.Anonymous,
        RequestShopMiddleware.Of(http).Shop,
        http.User.Shops());
}
