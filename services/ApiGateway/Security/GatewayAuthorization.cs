using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

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

/// <summary>The caller's key holds <see cref="Role"/> or a role above it.</summary>
public sealed record RoleAtLeast(string Role) : IAuthorizationRequirement;

/// <summary>A key limited to some shops names one of them.</summary>
public sealed record ShopAccess : IAuthorizationRequirement;

public sealed class ShopAccessHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var http = context.Resource as HttpContext;
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            switch (requirement)
            {
                case RoleAtLeast role when GatewayAuthorization.RolesOf[role.Role].Contains(context.User.Role()):
                    context.Succeed(role);
                    break;
                case RoleAtLeast role:
                    context.Fail(new AuthorizationFailureReason(this,
                        $"This needs the {role.Role} role; the API key '{context.User.KeyId()}' is a {context.User.Role()} key."));
                    break;
                case ShopAccess shopAccess:
                    var allowed = context.User.Shops();
                    var shop = http is null ? null : RequestShopMiddleware.Of(http).Shop;
                    if (allowed.Length == 0 || (shop is not null && allowed.Contains(shop))) context.Succeed(shopAccess);
                    else
                        context.Fail(new AuthorizationFailureReason(this, shop is null
                            ? $"The API key '{context.User.KeyId()}' is limited to {string.Join(", ", allowed)}: name one of them in shop."
                            : $"The API key '{context.User.KeyId()}' may not read or act on {shop}."));
                    break;
            }
        }
        return Task.CompletedTask;
    }
}

/// <summary>A refusal is a problem body: 401 from the API key scheme, 403 naming the role or the shop that was missing.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.User.KeyId() is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToArray() ?? [];
        await context.WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", reasons.Length > 0 ? string.Join(" ", reasons) : "This API key may not do this.");
    }
}
