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
builder.AddKpis();
builder.AddAlerts();
builder.AddAnalytics();
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
