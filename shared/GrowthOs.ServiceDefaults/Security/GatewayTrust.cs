using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace GrowthOs.ServiceDefaults.Security;

/// <summary>The secret the gateway signs its calls to the services with, and how old a signature may be.</summary>
public sealed class GatewayTrustOptions
{
    public const string Section = "Gateway";

    /// <summary>Shared by the gateway and the services behind it (from a secret or the environment, never a default).</summary>
    [Required(ErrorMessage = "Gateway:Secret is required: the key the gateway signs its calls to the services with.")]
    [MinLength(32, ErrorMessage = "Gateway:Secret must be at least 32 characters.")]
    public string Secret { get; set; } = "";

    [Range(5, 3_600, ErrorMessage = "Gateway:MaxSkewSeconds must be between 5 and 3600.")]
    public int MaxSkewSeconds { get; set; } = 300;
}

/// <summary>
/// Who the gateway vouches for, as a service behind it reads it once the signature holds: the caller (an API key's id,
/// or a service's name), its role, the shop the gateway authorized the request for (null when the request names
/// none), and the shops the caller's key is limited to (none: every shop).
/// </summary>
public sealed record GatewayCaller(string Caller, string Role, string? Shop, IReadOnlyList<string> Shops)
{
    /// <summary>Whether the caller may act on or read <paramref name="shop"/>.</summary>
    public bool MayReach(string shop) => Shops.Count == 0 || Shops.Contains(shop.Trim(), StringComparer.OrdinalIgnoreCase);

    public static GatewayCaller? Of(HttpContext context) => context.Features.Get<GatewayCaller>();
}

/// <summary>
/// How the gateway vouches for a caller to the services behind it: the caller, its role, the shop it authorized, the
/// caller's shops, the time, and an HMAC-SHA256 under <see cref="GatewayTrustOptions.Secret"/> of those with the method,
/// the path and the query (its parameters in a canonical order, so no re-encoding on the way changes it). A service
/// answers only a call so signed, not older than <see cref="GatewayTrustOptions.MaxSkewSeconds"/>: whatever reaches it
/// around the gateway, or with a shop, a query or a caller changed on the way, is refused.
/// </summary>
public static class GatewaySignature
{
    public const string CallerHeader = "X-GrowthOs-Caller";
    public const string RoleHeader = "X-GrowthOs-Role";
    public const string ShopHeader = "X-GrowthOs-Shop";
    public const string ShopsHeader = "X-GrowthOs-Shops";
    public const string TimestampHeader = "X-GrowthOs-Timestamp";
    public const string SignatureHeader = "X-GrowthOs-Signature";
    public static readonly string[] Headers = [CallerHeader, RoleHeader, ShopHeader, ShopsHeader, TimestampHeader, SignatureHeader];

    /// <summary>
    /// The signed text: timestamp, method, path, canonical query, caller, role, shop and shops, a line each. The query is
    /// its parameters sorted by name (ordinal), each value in its order, as <c>name=value</c> escaped and joined by
    /// <c>&amp;</c>.
    /// </summary>
    public static string Sign(string secret, long timestamp, string method, string path, string query, GatewayCaller caller) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(
            $"{timestamp}\n{method.ToUpperInvariant()}\n{path}\n{query}\n{caller.Caller}\n{caller.Role}\n{caller.Shop}\n{string.Join(',', caller.Shops)}")));

    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        string.Join('&', query.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}")));

    /// <summary>Adds the signed headers for <paramref name="caller"/> to a request of <paramref name="method"/> to <paramref name="path"/> with <paramref name="query"/>.</summary>
    public static void Apply(Action<string, string> setHeader, string secret, DateTimeOffset now, string method, string path,
        IEnumerable<KeyValuePair<string, StringValues>> query, GatewayCaller caller)
    {
        var timestamp = now.ToUnixTimeSeconds();
        setHeader(CallerHeader, caller.Caller);
        setHeader(RoleHeader, caller.Role);
        setHeader(ShopHeader, caller.Shop ?? "");
        setHeader(ShopsHeader, string.Join(',', caller.Shops));
        setHeader(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        setHeader(SignatureHeader, Sign(secret, timestamp, method, path, CanonicalQuery(query), caller));
    }

    /// <summary>The caller the request's signature vouches for, or why there is none (a refusal).</summary>
    public static (GatewayCaller? Caller, string? Refusal) Verify(HttpRequest request, GatewayTrustOptions options, DateTimeOffset now)
    {
        var signature = request.Headers[SignatureHeader].ToString();
        if (signature.Length == 0) return (null, "it carries no gateway signature");
        if (!long.TryParse(request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            return (null, "its gateway timestamp is missing or not a number");
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > options.MaxSkewSeconds) return (null, "its gateway signature has expired");
        var shop = request.Headers[ShopHeader].ToString();
        var caller = new GatewayCaller(request.Headers[CallerHeader].ToString(), request.Headers[RoleHeader].ToString(), shop.Length == 0 ? null : shop,
            request.Headers[ShopsHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries));
        var expected = Sign(options.Secret, timestamp, request.Method, request.Path.Value ?? "/", CanonicalQuery(request.Query), caller);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()))
            ? (caller, null)
            : (null, "its gateway signature does not match");
    }
}

public static class GatewayTrustExtensions
{
    /// <summary>
    /// What the gateway vouched for does not let the caller do this: the services check the role and the shops again,
    /// behind the gateway's own check. An action (anything but a read) needs an acting role; a caller limited to some
    /// shops reaches none of the others by the shop its query names or the gateway authorized.
    /// </summary>
    private static string? Overreach(HttpContext context, GatewayCaller caller)
    {
        var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method);
        if (!reads && !GatewayRoles.Acting.Contains(caller.Role)
            && !(caller.Role == GatewayRoles.Anonymous && context.GetEndpoint()?.Metadata.GetMetadata<AcceptsAnonymousGatewayCaller>() is not null))
            return $"This needs the operator role; the caller '{caller.Caller}' is a {caller.Role}.";
        foreach (var shop in context.Request.Query["shop"].Append(caller.Shop))
            if (!string.IsNullOrWhiteSpace(shop) && !caller.MayReach(shop))
                return $"The caller '{caller.Caller}' may not read or act on {shop.Trim()}.";
        return null;
    }

    public static WebApplicationBuilder AddGatewayTrust(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayTrustOptions>(GatewayTrustOptions.Section);
        builder.Services.AddTransient<GatewaySigningHandler>();
        return builder;
    }

    /// <summary>
    /// Refuses with 401 every request but the health probes that the gateway did not sign: the services behind it answer
    /// no one else. Placed after <c>MapDefaultEndpoints</c>, so the refusal is logged and is a problem body.
    /// </summary>
    public static WebApplication UseGatewayTrust(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (HostingExtensions.IsHealthProbe(context))
            {
                await next(context);
                return;
            }
            var options = context.RequestServices.GetRequiredService<IOptions<GatewayTrustOptions>>().Value;
            var clock = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
            var (caller, refusal) = GatewaySignature.Verify(context.Request, options, clock.GetUtcNow());
            if (caller is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status401Unauthorized,
                        Title = "Not called through the gateway",
                        Detail = $"This service answers calls through the API gateway only; this one is refused: {refusal}.",
                    },
                });
                return;
            }
            if (Overreach(context, caller) is { } overreach)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = overreach },
                });
                return;
            }
            context.Features.Set(caller);
            await next(context);
        });
        return app;
    }
}

/// <summary>
/// Marks an endpoint that acts for a caller the gateway let in without a key (Shopify's webhooks, which the gateway
/// authenticates by their own signature): every other action needs an operator's role or more.
/// </summary>
public sealed class AcceptsAnonymousGatewayCaller;

/// <summary>The roles of the gateway's keys, and of a service calling another.</summary>
public static class GatewayRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string Service = "service";
    public const string Anonymous = "anonymous";

    /// <summary>The roles that may act (anything but a read).</summary>
    public static readonly IReadOnlySet<string> Acting = new HashSet<string> { Operator, Admin, Service };
}

/// <summary>Signs a service's own calls to another service behind the gateway, as the service itself (role <c>service</c>).</summary>
public sealed class GatewaySigningHandler(IOptions<GatewayTrustOptions> options, IHostEnvironment environment) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var header in GatewaySignature.Headers) request.Headers.Remove(header);
        GatewaySignature.Apply((name, value) => request.Headers.TryAddWithoutValidation(name, value), options.Value.Secret, DateTimeOffset.UtcNow,
            request.Method.Method, request.RequestUri?.AbsolutePath ?? "/", QueryHelpers.ParseQuery(request.RequestUri?.Query),
            new GatewayCaller(environment.ApplicationName, "service", null, []));
        return base.SendAsync(request, cancellationToken);
    }
}
