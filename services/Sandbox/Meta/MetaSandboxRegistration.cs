namespace GrowthOs.Sandbox.Meta;

public static class MetaSandboxRegistration
{
    /// <summary>Meta's Graph API: ad accounts, insights (synchronous and asynchronous), the token exchange.</summary>
    public static WebApplicationBuilder AddMetaSandbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MetaGraphApi>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMetaSandbox(this IEndpointRouteBuilder app) => MetaGraphApi.MapMetaGraphApi(app);
}
