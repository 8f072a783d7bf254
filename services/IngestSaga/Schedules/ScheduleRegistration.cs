using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.IngestSaga.Schedules;

public static class ScheduleRegistration
{
    /// <summary>The daily sync of every shop in <c>BulkSync:Shops</c> and every connected shop, at its cron time.</summary>
    public static WebApplicationBuilder AddScheduledSyncs(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ScheduleOptions>(ScheduleOptions.Section);
        builder.Services.AddHostedService<ScheduledSyncDispatcher>();
        return builder;
    }
}
