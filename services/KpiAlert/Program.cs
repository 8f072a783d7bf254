using GrowthOs.KpiAlert.Kpis;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("kpi-alert");
builder.AddPostgres("kpi", typeof(Program).Assembly);
builder.AddGrowthOsBus(bus => bus.AddConsumers(typeof(Program).Assembly));

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapKpis();
app.Run();
