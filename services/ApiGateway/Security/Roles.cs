using GrowthOs.ServiceDefaults.Security;

namespace GrowthOs.ApiGateway.Security;

/// <summary>The roles, each holding the rights of the ones before it.</summary>
public static class Roles
{
    public const string Viewer = GatewayRoles.Viewer;
    public const string Operator = GatewayRoles.Operator;
    public const string Admin = GatewayRoles.Admin;
}
