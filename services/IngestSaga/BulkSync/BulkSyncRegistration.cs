using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrowthOs.IngestSaga.BulkSync;

public static class BulkSyncRegistration
{
    /// <summary>The bulk-sync state machine and its activities; the caller chooses the repository.</summary>
    public static ISagaRegistrationConfigurator<BulkSyncState> AddBulkSyncSaga(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(Jitter.Shared);
        bus.AddScoped(typeof(StartExtractionActivity<>));
        bus.AddScoped<AdvanceWatermarkActivity>();
        bus.AddScoped<RequestHistoryActivity>();
        bus.AddScoped<RequestGapBackfillActivity>();
        return bus.AddSagaStateMachine<BulkSyncStateMachine, BulkSyncState, BulkSyncStateDefinition>();
    }
}
