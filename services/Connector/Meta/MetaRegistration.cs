using GrowthOs.Connector.Marketing;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Meta;

public static class MetaRegistration
{
    public static WebApplicationBuilder AddMeta(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MetaOptions>(MetaOptions.Section);
        builder.Services.AddSingleton<MetaPacer>();
        builder.Services.AddHttpClient<MetaInsightsClient>((provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<MetaOptions>>().Value.RequestTimeoutSeconds));
        builder.Services.AddTransient<IMarketingSource>(provider => provider.GetRequiredService<MetaInsightsClient>());
        return builder;
    }
}
