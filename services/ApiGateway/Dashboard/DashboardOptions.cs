namespace GrowthOs.ApiGateway.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// The built dashboard (<c>web/dashboard/build.sh</c> writes it to <c>web/dashboard/dist</c>; the image holds it in
    /// <c>/app/dashboard</c>). None: the gateway serves no page, and <c>/</c> answers 404 saying so.
    /// </summary>
    public string? Directory { get; set; }
}
