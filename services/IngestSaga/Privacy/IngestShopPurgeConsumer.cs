using GrowthOs.Contracts.Connections;
using GrowthOs.IngestSaga.Telemetry;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.Privacy;

/// <summary>
/// The Ingest-Saga's part of a shop's purge: the archived telemetry of each of the shop's runs first (while its rows still
/// say where it is), then the events its runs left in the outbox, then every row of the shop (runs, watermarks, gaps,
/// schedules, telemetry, webhook deliveries).
/// </summary>
public sealed class IngestShopPurgeConsumer(NpgsqlDataSource dataSource, ObjectStore store, ILogger<IngestShopPurgeConsumer> logger)
    : IConsumer<ShopPurgeRequested>
{
    private const string RunsOfShop = """
        SELECT correlation_id FROM ingest.bulk_sync_state WHERE shop_domain = @shop
        UNION SELECT correlation_id FROM ingest.marketing_sync_state WHERE shop_domain = @shop
        UNION SELECT run_id FROM ingest.sync_telemetry WHERE shop_domain = @shop
        """;

    public async Task Consume(ConsumeContext<ShopPurgeRequested> context)
    {
        var shop = context.Message.ShopDomain;
        var telemetry = new List<string>();
        await using (var select = dataSource.CreateCommand(
            "SELECT run_id, min(occurred_at) FROM ingest.sync_telemetry WHERE shop_domain = @shop GROUP BY run_id"))
        {
            select.Parameters.AddWithValue("shop", shop);
            await using var reader = await select.ExecuteReaderAsync(context.CancellationToken);
            while (await reader.ReadAsync(context.CancellationToken))
                telemetry.Add(SyncTelemetryArchiver.KeyFor(reader.GetGuid(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero)));
        }
        long objects = 0;
        foreach (var key in telemetry)
            if (await store.Delete(key, context.CancellationToken)) objects++;
        var removed = await ShopPurge.RemoveRows(dataSource, ["ingest"], context.Message,
            [new PurgeStatement("ingest.saga_event_outbox", $"DELETE FROM ingest.saga_event_outbox WHERE run_id IN ({RunsOfShop})")], context.CancellationToken);
        removed["objects:telemetry/sync.telemetry/"] = objects;
        await ShopPurge.Answer(context, PurgeServices.IngestSaga, removed, logger);
    }
}
