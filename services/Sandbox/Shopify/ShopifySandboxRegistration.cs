namespace GrowthOs.Sandbox.Shopify;

public static class ShopifySandboxRegistration
{
    /// <summary>Shopify's Admin API as the Sandbox emulates it: bulk operations and their results, webhooks, the app's install flow.</summary>
    public static WebApplicationBuilder AddShopifySandbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SandboxBulkOperations>();
        builder.Services.AddSingleton<BulkResults>();
        builder.Services.AddSingleton<WebhookSubscriptions>();
        builder.Services.AddSingleton<CostBucket>();
        builder.Services.AddSingleton<FailureSwitches>();
        builder.Services.AddSingleton<SandboxShopify>();
        builder.Services.AddHttpClient(WebhookDeliveries.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHostedService<WebhookDeliveries>();
        builder.Services.AddSingleton<AppInstallations>();
        builder.Services.AddSingleton<ComplianceRequests>();
        builder.Services.AddSingleton<ShopifyOAuth>();
        return builder;
    }

    /// <summary>The GraphQL Admin API, the install flow, the app's installations and the compliance requests.</summary>
    public static IEndpointRouteBuilder MapShopifySandbox(this IEndpointRouteBuilder app)
    {
        app.MapShopifyGraphQl();
        ShopifyOAuth.MapShopifyOAuth(app);
        AppInstallations.MapAppInstallations(app);
        ComplianceRequests.MapComplianceRequests(app);
        return app;
    }
}
