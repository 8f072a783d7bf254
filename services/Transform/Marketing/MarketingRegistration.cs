using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.Transform.Marketing;

public static class MarketingRegistration
{
    public static WebApplicationBuilder AddMarketing(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MarketingOptions>(MarketingOptions.Section);
        builder.Services.AddSingleton<MarketingUpserter>().AddSingleton<MarketingRefresher>();
        return builder;
    }
}
