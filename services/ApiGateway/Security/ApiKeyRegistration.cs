using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Security;

public static class ApiKeyRegistration
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShopifyWebhookOptions>().BindConfiguration(ShopifyWebhookOptions.Section)
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 1_048_576, "ShopifyWebhooks:MaxBodyBytes must be between 1024 and 1048576.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateOnStart();
        // The keys made at run time, read again by every replica twice a second.
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ApiKeyStore>());
        return builder;
    }
}
