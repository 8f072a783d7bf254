using GrowthOs.Connector.Marketing;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.GoogleAds;

public static class GoogleAdsRegistration
{
    public static WebApplicationBuilder AddGoogleAds(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GoogleAdsOptions>(GoogleAdsOptions.Section);
        // One client for the process: the day's operations are counted across every call.
        builder.Services.AddHttpClient(GoogleAdsClient.Source, (provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<GoogleAdsOptions>>().Value.RequestTimeoutSeconds));
        builder.AddGoogleOAuth();
        builder.Services.AddSingleton(provider => new GoogleAdsClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(GoogleAdsClient.Source),
            provider.GetRequiredService<IOptions<GoogleAdsOptions>>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<GoogleAdsClient>>(),
            provider.GetRequiredService<GoogleAccessTokens>(), provider.GetService<IGoogleAccounts>()));
        builder.Services.AddSingleton<IMarketingSource>(provider => provider.GetRequiredService<GoogleAdsClient>());
        return builder;
    }
}
