namespace GrowthOs.ServiceDefaults.Security;

/// <summary>The roles of the gateway's keys, and of a service calling another.</summary>
public static class GatewayRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string Service = "service";
    public const string Anonymous = "anonymous";

    /// <summary>The roles that may act (anything but a read).</summary>
    public static readonly IReadOnlySet<string> Acting = new HashSet<string> { Operator, Admin, Service };
}
