using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using GrowthOs.ApiGateway.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace GrowthOs.ApiGateway.Limits;

/// <summary>
/// ASP.NET Core's rate limiter: per key, reads and actions apart (per client address for calls without a valid key),
/// and per shop on the routes that start runs (the <see cref="ShopRunsPolicy"/>, attached to them in
/// <c>ReverseProxy:Routes:*:RateLimiterPolicy</c>). A refusal is 429 with <c>Retry-After</c> and a problem body naming
/// the limit.
/// </summary>
public static class GatewayLimits
{
    public const string ShopRunsPolicy = "shop-runs";
    private const string RefusedLimitItem = "growthos:refused-limit";

    public static WebApplicationBuilder AddGatewayLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayLimitOptions>().BindConfiguration(GatewayLimitOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.KnownProxies.All(p => System.Net.IPNetwork.TryParse(p, out _) || IPAddress.TryParse(p, out _)),
                "Limits:KnownProxies must list IP addresses or networks (10.0.0.0/8).")
            .ValidateOnStart();
        var limits = builder.Configuration.GetSection(GatewayLimitOptions.Section).Get<GatewayLimitOptions>() ?? new GatewayLimitOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named: not even loopback, which ASP.NET Core trusts by default.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the older list of networks is still read beside KnownIPNetworks; its loopback default goes too
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in limits.KnownProxies)
                if (System.Net.IPNetwork.TryParse(proxy, out var network)) forwarded.KnownIPNetworks.Add(network);
                else if (IPAddress.TryParse(proxy, out var address)) forwarded.KnownProxies.Add(address);
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxBodyBytes, limits.MaxReplayBodyBytes);
            // Long enough that an over-long parameter reaches the check that names it, rather than Kestrel's bare 414.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 96 * 1024;
        });

        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.Request.Path.StartsWithSegments("/health") || ShopifyWebhookOptions.IsWebhookPath(context.Request.Path))
                    return RateLimitPartition.GetNoLimiter("");
                var keyId = context.User.KeyId();
                var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
                var (partition, permits, limit) = keyId is null
                    ? ($"address:{context.Connection.RemoteIpAddress ?? IPAddress.None}", limits.AnonymousPerMinute,
                        $"{limits.AnonymousPerMinute} requests a minute without a valid API key")
                    : read
                        ? ($"reads:{keyId}", limits.ReadsPerMinute, $"{limits.ReadsPerMinute} reads a minute for the API key '{keyId}'")
                        : ($"writes:{keyId}", limits.WritesPerMinute, $"{limits.WritesPerMinute} actions a minute for the API key '{keyId}'");
                context.Items[RefusedLimitItem] = limit;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => Window(permits, TimeSpan.FromMinutes(1)));
            });
            options.AddPolicy(ShopRunsPolicy, context =>
            {
                var shop = RequestShopMiddleware.Of(context).Shop;
                if (shop is null) return RateLimitPartition.GetNoLimiter(""); // the service refuses a run without a shop
                context.Items[RefusedLimitItem] = $"{limits.ShopRunsPerHour} syncs, backfills and replays an hour for {shop}";
                return RateLimitPartition.GetFixedWindowLimiter($"shop:{shop}", _ => Window(limits.ShopRunsPerHour, TimeSpan.FromHours(1)));
            });
            options.OnRejected = Refuse;
        });
        return builder;
    }

    /// <summary>
    /// The client's address as a known proxy in front names it (<c>Limits:KnownProxies</c>); with none named, nobody's
    /// <c>X-Forwarded-For</c> is read at all.
    /// </summary>
    public static WebApplication UseKnownProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayLimitOptions>>().Value.KnownProxies.Count > 0)
            app.UseForwardedHeaders();
        return app;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    private static async ValueTask Refuse(OnRejectedContext rejected, CancellationToken cancellation)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
        context.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
        await context.WriteProblem(StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"The limit of {context.Items[RefusedLimitItem] ?? "requests"} is reached; try again in {Math.Max(1, retryAfter)} s.");
    }
}
