using Microsoft.AspNetCore.Authorization;

namespace GrowthOs.ApiGateway.Security;

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
