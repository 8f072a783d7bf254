using GrowthOs.Sandbox.Ga4;
using GrowthOs.Sandbox.GoogleAds;

namespace GrowthOs.Sandbox.GoogleOAuth;

public static class GoogleSandboxRegistration
{
    /// <summary>Google's OAuth (consent page, token endpoint, revocation), the Google Ads API, and GA4's Data and Admin APIs.</summary>
    public static WebApplicationBuilder AddGoogleSandbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GoogleOAuthApi>();
        builder.Services.AddSingleton<GoogleAdsApi>();
        builder.Services.AddSingleton<Ga4DataApi>();
        builder.Services.AddSingleton<Ga4AdminApi>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGoogleSandbox(this IEndpointRouteBuilder app)
    {
        GoogleOAuthApi.MapGoogleOAuth(app);
        GoogleAdsApi.MapGoogleAdsApi(app);
        Ga4DataApi.MapGa4DataApi(app);
        Ga4AdminApi.MapGa4AdminApi(app);
        return app;
    }
}
