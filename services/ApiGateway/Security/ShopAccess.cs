using Microsoft.AspNetCore.Authorization;

namespace GrowthOs.ApiGateway.Security;

/// <summary>A key limited to some shops names one of them.</summary>
public sealed record ShopAccess : IAuthorizationRequirement;
