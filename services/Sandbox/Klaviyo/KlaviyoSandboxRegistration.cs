namespace GrowthOs.Sandbox.Klaviyo;

public static class KlaviyoSandboxRegistration
{
    /// <summary>Klaviyo's API: the account, metrics, flows and campaigns, and the Reporting API.</summary>
    public static WebApplicationBuilder AddKlaviyoSandbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KlaviyoApi>();
        return builder;
    }

    public static IEndpointRouteBuilder MapKlaviyoSandbox(this IEndpointRouteBuilder app) => KlaviyoApi.MapKlaviyoApi(app);
}
