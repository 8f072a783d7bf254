using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.Privacy;
using GrowthOs.IngestSaga.Runs;
using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// The saga endpoint (<see cref="SagaEndpointRetry"/>): the database away is waited out, a concurrency conflict retried
/// at once; the commands the saga publishes leave only after its state is saved, and its events are saved with the
/// state itself and published from the table (<see cref="Outbox.SagaEventPublisher"/>).
/// </summary>
public sealed class BulkSyncStateDefinition : SagaDefinition<BulkSyncState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<BulkSyncState> sagaConfigurator,
        IRegistrationContext context)
    {
        SagaEndpointRetry.Configure(endpointConfigurator, context);
        // A run asked for before its shop's purge and delivered after it is not started (where runs are kept in PostgreSQL).
        if (context.GetService<NpgsqlDataSource>() is not { } dataSource) return;
        var logger = context.GetRequiredService<ILogger<BulkSyncStateDefinition>>();
        sagaConfigurator.Message<SyncRequested>(m => m.UseFilter(new PurgedShopFilter<SyncRequested>(dataSource, r => r.ShopDomain, logger)));
        sagaConfigurator.Message<BackfillRequested>(m => m.UseFilter(new PurgedShopFilter<BackfillRequested>(dataSource, r => r.ShopDomain, logger)));
        sagaConfigurator.Message<ReplayRequested>(m => m.UseFilter(new PurgedShopFilter<ReplayRequested>(dataSource, r => r.ShopDomain, logger)));
    }
}
