using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Analytics;
using GrowthOs.KpiAlert.Kpis;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Security;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("kpi-alert");
builder.AddGatewayTrust();
builder.Services.AddSingleton(TimeProvider.System);
builder.AddPostgres("kpi", typeof(Program).Assembly);
builder.Services.AddValidatedOptions<KpiOptions>(KpiOptions.Section);
builder.AddShopConnections();
builder.Services.UseConnectedTimeZones<KpiOptions>((options, zoneOf) => options.ConnectedTimeZoneOf = zoneOf);
builder.Services.AddValidatedOptions<AlertOptions>(AlertOptions.Section);
builder.Services.AddValidatedOptions<AnalyticsOptions>(AnalyticsOptions.Section);
builder.Services.AddSingleton<KpiStore>().AddSingleton<KpiRefresh>().AddSingleton<AlertEvaluator>().AddSingleton<AnalyticsStore>();
builder.Services.AddHostedService<ScheduledAlertEvaluation>();
builder.AddGrowthOsBus(bus =>
{
    bus.AddConsumers(typeof(Program).Assembly);
    bus.AddConnectionCopy("kpi-alert");
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseGatewayTrust();
app.MapKpis();
app.MapAlerts();
app.MapAnalytics();
app.Run();
