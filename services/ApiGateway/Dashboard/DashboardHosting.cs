using System.Security.Claims;
using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GrowthOs.ApiGateway.Dashboard;

/// <summary>
/// The staff dashboard: static files the gateway serves itself at <c>/</c>, before any key is asked for (the page signs
/// in with a key and sends it on each API call, from the tab's session storage). The page may load nothing but its
/// own files and talk to nothing but this gateway (a strict Content-Security-Policy), is never framed, and sends no
/// referrer. Its hashed assets are cached for good; the page itself is revalidated every time.
/// </summary>
public static class DashboardHosting
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DashboardOptions>(DashboardOptions.Section)
            .Validate(o => o.Directory is null || File.Exists(Path.Combine(o.Directory, "index.html")),
                "Dashboard:Directory must be a built dashboard, a folder holding index.html (web/dashboard/build.sh builds it).");
        return builder;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (options.Directory is null)
        {
            // Not an API route (it is in no OpenAPI document): the page's address, saying why there is no page.
            app.Use(async (context, next) =>
            {
                if (context.Request.Path == "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
                {
                    await TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                        detail: "The dashboard is not served here: Dashboard:Directory names no built dashboard.").ExecuteAsync(context);
                    return;
                }
                await next(context);
            });
            return app;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(options.Directory));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Every file of the page, and only those, carries the page's policy.
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.XFrameOptions] = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers[HeaderNames.CacheControl] =
                    file.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";
            },
        });
        return app;
    }

    /// <summary>
    /// <c>GET /api/session</c>: who the key is, for the page to show what its role may do: its id, its role, and the shops
    /// it is limited to (null: any shop).
    /// </summary>
    public static WebApplication MapSessionEndpoint(this WebApplication app)
    {
        app.MapGet("/api/session", (ClaimsPrincipal user, IOptions<ApiKeyOptions> keys) =>
        {
            var id = user.Identity?.Name;
            var key = keys.Value.Keys.FirstOrDefault(k => k.Id == id);
            return TypedResults.Ok(new SessionView(
                id,
                user.FindFirst(ClaimTypes.Role)?.Value,
                key is null || key.Shops.Count == 0 ? null : key.Shops.Select(ShopDomains.Normalize).ToArray()));
        }).RequireAuthorization(GatewayAuthorization.SignedIn).WithSummary("The calling key's id, role and shops (any key)");
        return app;
    }
}
