using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Transform.Commerce;
using GrowthOs.Transform.DailySales;
using GrowthOs.Transform.DataQuality;
using GrowthOs.Transform.EtlLog;
using GrowthOs.Transform.Marts;
using GrowthOs.Transform.Orders;
using GrowthOs.Transform.OrdersApi;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("transform");
builder.Services.AddSingleton(TimeProvider.System);
builder.AddPostgres("transform", typeof(Program).Assembly);
builder.AddObjectStore();
builder.Services.AddValidatedOptions<UpsertOptions>(UpsertOptions.Section);
builder.Services.AddValidatedOptions<MartsOptions>(MartsOptions.Section);
builder.Services.AddSingleton<OrderUpserter>().AddSingleton<BulkFileLoader>().AddSingleton<EtlExecutionLog>().AddSingleton<DataQualityRunner>();
builder.Services.AddSingleton<DailySalesRefresher>().AddSingleton<StarSchemaRefresher>().AddSingleton<InventorySnapshotRefresher>()
    .AddSingleton<CustomerSegmentRefresher>().AddSingleton<UsageDailyRefresher>().AddSingleton<Rolling30dRefresher>().AddSingleton<MeasurementRefresher>()
    .AddSingleton<PipelineRunner>();
builder.Services.AddHostedService<WeeklyRollingStats>();
builder.Services.AddValidatedOptions<CommerceEventOptions>(CommerceEventOptions.Section);
builder.Services.AddHostedService<CommerceEventDispatcher>();
builder.AddGrowthOsBus(bus => bus.AddConsumers(typeof(Program).Assembly));

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSalesPulse();
app.MapDashboards();
app.MapOrders();
app.MapEtlStatus();
app.MapPipelineRuns();
app.MapDataQuality();
app.Run();
