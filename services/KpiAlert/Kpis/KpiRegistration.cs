using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.KpiAlert.Kpis;

public static class KpiRegistration
{
    /// <summary>The KPIs: their settings (each shop's reporting days from its connection), the copies they read, their refresh.</summary>
    public static WebApplicationBuilder AddKpis(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KpiOptions>(KpiOptions.Section);
        builder.AddShopConnections();
        builder.Services.UseReportingTimeZones<KpiOptions>((options, zones) => options.TimeZones = zones);
        builder.Services.AddSingleton<KpiStore>().AddSingleton<KpiRefresh>();
        return builder;
    }
}
