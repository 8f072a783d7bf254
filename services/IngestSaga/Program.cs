using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.IngestSaga.Privacy;
using GrowthOs.IngestSaga.Replay;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.IngestSaga.Schedules;
using GrowthOs.IngestSaga.Telemetry;
using GrowthOs.IngestSaga.Webhooks;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Security;
using GrowthOs.ServiceDefaults.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingest-saga");
builder.AddGatewayTrust();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddValidatedOptions<BulkSyncOptions>(BulkSyncOptions.Section);
builder.Services.AddValidatedOptions<MarketingSyncOptions>(MarketingSyncOptions.Section);
builder.AddIngestPersistence();
builder.AddShopConnections();
builder.Services.UseConnectedShops<BulkSyncOptions>((options, connectionOf) => options.ConnectionOf = connectionOf);
builder.Services.UseConnectedSources<MarketingSyncOptions>((options, sourcesOf) => options.ConnectedSourcesOf = sourcesOf);
builder.Services.UseConnectedAccounts<MarketingSyncOptions>((options, accountOf) => options.ConnectedAccountOf = accountOf);
builder.AddScheduledSyncs();
builder.AddObjectStore();
builder.AddLoadProgress();
builder.AddGrowthOsBus(bus =>
{
    bus.AddBulkSyncSaga().PostgresRepository();
    bus.AddMarketingSyncSaga().PostgresRepository();
    bus.AddConsumer<SyncTelemetryArchiver>(typeof(SyncTelemetryArchiverDefinition));
    bus.AddConnectionCopy("ingest-saga");
    bus.AddConsumer<IngestShopPurgeConsumer>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseGatewayTrust();
app.MapRuns();
app.MapReplay();
app.MapBackfill();
app.MapMarketingSync();
app.MapShopifyWebhooks();
app.MapSchedules();
app.Run();
