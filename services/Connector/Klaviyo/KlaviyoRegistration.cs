using GrowthOs.Connector.Marketing;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Klaviyo;

public static class KlaviyoRegistration
{
    public static WebApplicationBuilder AddKlaviyo(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KlaviyoOptions>(KlaviyoOptions.Section);
        builder.Services.AddHttpClient<KlaviyoClient>((provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<KlaviyoOptions>>().Value.RequestTimeoutSeconds));
        builder.Services.AddTransient<IMarketingSource>(provider => provider.GetRequiredService<KlaviyoClient>());
        return builder;
    }
}
