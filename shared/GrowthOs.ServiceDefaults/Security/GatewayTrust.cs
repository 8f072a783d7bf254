using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
/// How the gateway vouches for a caller to the services behind it: the caller (an API key's id, or a service's name),
/// its role, the time, and an HMAC-SHA256 under <see cref="GatewayTrustOptions.Secret"/> of those with the method and
/// path. A service answers only a call so signed, not older than <see cref="GatewayTrustOptions.MaxSkewSeconds"/>:
/// whatever reaches it around the gateway is refused.
/// </summary>
public static class GatewaySignature
{
    public const string CallerHeader = "X-GrowthOs-Caller";
    public const string RoleHeader = "X-GrowthOs-Role";
    public const string TimestampHeader = "X-GrowthOs-Timestamp";
    public const string SignatureHeader = "X-GrowthOs-Signature";
    public static readonly string[] Headers = [CallerHeader, RoleHeader, TimestampHeader, SignatureHeader];

    public static string Sign(string secret, long timestamp, string method, string path, string caller, string role) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"{timestamp}\n{method.ToUpperInvariant()}\n{path}\n{caller}\n{role}")));

    /// <summary>Adds the signed headers for <paramref name="caller"/> to a request of <paramref name="method"/> to <paramref name="path"/>.</summary>
    public static void Apply(Action<string, string> setHeader, string secret, DateTimeOffset now, string method, string path, string caller, string role)
    {
        var timestamp = now.ToUnixTimeSeconds();
        setHeader(CallerHeader, caller);
        setHeader(RoleHeader, role);
        setHeader(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        setHeader(SignatureHeader, Sign(secret, timestamp, method, path, caller, role));
    }

    /// <summary>Null when the request carries a valid, recent signature; otherwise why not.</summary>
    public static string? Refusal(HttpRequest request, GatewayTrustOptions options, DateTimeOffset now)
    {
        string caller = request.Headers[CallerHeader].ToString(), role = request.Headers[RoleHeader].ToString(), signature = request.Headers[SignatureHeader].ToString();
        if (signature.Length == 0) return "it carries no gateway signature";
        if (!long.TryParse(request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            return "its gateway timestamp is missing or not a number";
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > options.MaxSkewSeconds) return "its gateway signature has expired";
        var expected = Sign(options.Secret, timestamp, request.Method, request.Path.Value ?? "/", caller, role);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()))
            ? null
            : "its gateway signature does not match";
    }
}

public static class GatewayTrustExtensions
{
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
            if (GatewaySignature.Refusal(context.Request, options, clock.GetUtcNow()) is { } refusal)
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
            await next(context);
        });
        return app;
    }
}

/// <summary>Signs a service's own calls to another service behind the gateway, as the service itself (role <c>service</c>).</summary>
public sealed class GatewaySigningHandler(IOptions<GatewayTrustOptions> options, IHostEnvironment environment) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var header in GatewaySignature.Headers) request.Headers.Remove(header);
        GatewaySignature.Apply((name, value) => request.Headers.TryAddWithoutValidation(name, value), options.Value.Secret, DateTimeOffset.UtcNow,
            request.Method.Method, request.RequestUri?.AbsolutePath ?? "/", environment.ApplicationName, "service");
        return base.SendAsync(request, cancellationToken);
    }
}
