using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace GrowthOs.ApiGateway.Security;

/// <summary>A key limited to some shops names one of them.</summary>
public sealed record ShopAccess : IAuthorizationRequirement;
