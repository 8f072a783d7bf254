using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.KpiAlert.Alerts;

public static class AlertRegistration
{
    /// <summary>The alert rules: their settings, their evaluation after each refresh, and the scheduled one.</summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AlertOptions>(AlertOptions.Section);
        builder.Services.AddSingleton<AlertEvaluator>();
        builder.Services.AddHostedService<ScheduledAlertEvaluation>();
        return builder;
    }
}
