using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.Runs;

public static class LoadProgressRegistration
{
    public static IHostApplicationBuilder AddLoadProgress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TransformApiOptions>(TransformApiOptions.Section);
        builder.Services.AddHttpClient<LoadProgressClient>((services, http) =>
        {
            var options = services.GetRequiredService<IOptions<TransformApiOptions>>().Value;
            http.BaseAddress = options.BaseUrl;
            http.Timeout = TimeSpan.FromMilliseconds(options.ProgressTimeoutMilliseconds);
        }).AddHttpMessageHandler<GrowthOs.ServiceDefaults.Security.GatewaySigningHandler>();
        return builder;
    }
}
