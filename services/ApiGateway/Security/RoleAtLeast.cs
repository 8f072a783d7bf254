using Microsoft.AspNetCore.Authorization;

namespace GrowthOs.ApiGateway.Security;

/// <summary>The caller's key holds <see cref="Role"/> or a role above it.</summary>
public sealed record RoleAtLeast(string Role) : IAuthorizationRequirement;
