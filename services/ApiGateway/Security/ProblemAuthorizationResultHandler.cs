using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace GrowthOs.ApiGateway.Security;

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
        await context.WriteProblem(StatusCodes.Status403Forbidden, "Forbidden",
            reasons.Length > 0 ? string.Join(" ", reasons) : "This API key may not do this.");
    }
}
