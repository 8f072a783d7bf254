using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Security;

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
        builder.Services.AddSingleton<GatewayNonces>();
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
            var now = clock.GetUtcNow();
            var (caller, nonce, body, refusal) = GatewaySignature.Verify(context.Request, options, now);
            if (caller is not null && !context.RequestServices.GetRequiredService<GatewayNonces>().TryUse(nonce, now))
                (caller, refusal) = (null, "its gateway signature was used before");
            if (caller is not null && !await GatewaySignature.BodyMatches(context.Request, body, context.RequestAborted))
                (caller, refusal) = (null, "its body is not the one the gateway signed");
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
                await Problems.Forbidden(overreach).ExecuteAsync(context);
                return;
            }
            context.Features.Set(caller);
            await next(context);
        });
        return app;
    }
}
