using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.IngestSaga.Schedules;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingest-saga");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddValidatedOptions<BulkSyncOptions>(BulkSyncOptions.Section);
builder.AddIngestPersistence();
builder.AddScheduledSyncs();
builder.AddGrowthOsBus(bus => bus.AddBulkSyncSaga().PostgresRepository());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRuns();
app.Run();
