using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// The gateway's policies, named by the least role that holds them and attached to its routes (the proxy's in
/// <c>ReverseProxy:Routes:*:AuthorizationPolicy</c>, its own in code): <c>viewer</c> reads, <c>operator</c> also starts
/// syncs, backfills, replays and pipeline runs, <c>admin</c> also reads the keys and the audit log. Every policy also
/// holds a key limited to some shops to those shops. A route that names no policy takes <c>viewer</c>.
/// </summary>
public static class GatewayAuthorization
{
    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Roles.Viewer] = [Roles.Viewer, Roles.Operator, Roles.Admin],
        [Roles.Operator] = [Roles.Operator, Roles.Admin],
        [Roles.Admin] = [Roles.Admin],
    };

    /// <summary>Any accepted key, whatever its role and shops: for the routes that only say who the caller is.</summary>
    public const string SignedIn = "signed-in";

    public static WebApplicationBuilder AddGatewayAuthorization(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, ShopAccessHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, Policy(Roles.Viewer))
            .AddPolicy(Roles.Operator, Policy(Roles.Operator))
            .AddPolicy(Roles.Admin, Policy(Roles.Admin))
            .AddPolicy(SignedIn, new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .SetFallbackPolicy(Policy(Roles.Viewer));
        return builder;
    }

    private static AuthorizationPolicy Policy(string role) => new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .AddRequirements(new RoleAtLeast(role), new ShopAccess())
        .Build();

    public static string? KeyId(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    public static string? Role(this ClaimsPrincipal user) => user.FindFirst(ClaimTypes.Role)?.Value;

    /// <summary>The shops the caller's key is limited to, normalised, in order; none for a key of every shop.</summary>
    public static string[] Shops(this ClaimsPrincipal user) =>
        user.FindAll(ApiKeyAuthenticationHandler.ShopClaim).Select(c => c.Value).Order(StringComparer.Ordinal).ToArray();
}
