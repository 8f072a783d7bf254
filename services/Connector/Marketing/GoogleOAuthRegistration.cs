using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Marketing;

public static class GoogleOAuthRegistration
{
    /// <summary>One token cache for the process, shared by the Google Ads and GA4 clients; registered once whoever asks first.</summary>
    public static WebApplicationBuilder AddGoogleOAuth(this WebApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(GoogleAccessTokens))) return builder;
        builder.Services.AddValidatedOptions<GoogleOAuthOptions>(GoogleOAuthOptions.Section);
        builder.Services.AddHttpClient(GoogleAccessTokens.HttpClientName, (provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<GoogleOAuthOptions>>().Value.RequestTimeoutSeconds));
        builder.Services.AddSingleton(provider => new GoogleAccessTokens(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(GoogleAccessTokens.HttpClientName),
            provider.GetRequiredService<IOptions<GoogleOAuthOptions>>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<GoogleAccessTokens>>()));
        return builder;
    }
}
