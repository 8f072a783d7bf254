using GrowthOs.Connector.Marketing;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Ga4;

public static class Ga4Registration
{
    public static WebApplicationBuilder AddGa4(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<Ga4Options>(Ga4Options.Section);
        // One client for the process: each property's pace is kept across every call.
        builder.Services.AddHttpClient(Ga4Client.Source, (provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<Ga4Options>>().Value.RequestTimeoutSeconds));
        builder.AddGoogleOAuth();
        builder.Services.AddSingleton(provider => new Ga4Client(provider.GetRequiredService<IHttpClientFactory>().CreateClient(Ga4Client.Source),
            provider.GetRequiredService<IOptions<Ga4Options>>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<Ga4Client>>(),
            provider.GetRequiredService<GoogleAccessTokens>(), provider.GetService<IGoogleAccounts>()));
        builder.Services.AddSingleton<IMarketingSource>(provider => provider.GetRequiredService<Ga4Client>());
        return builder;
    }
}
