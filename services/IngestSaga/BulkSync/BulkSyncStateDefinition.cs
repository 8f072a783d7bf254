using GrowthOs.IngestSaga.Runs;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// The saga endpoint (<see cref="SagaEndpointRetry"/>): the database away is waited out, a concurrency conflict retried
/// at once; the commands the saga publishes leave only after its state is saved, and its events are saved with the
/// state itself and published from the table (<see cref="Outbox.SagaEventPublisher"/>).
/// </summary>
public sealed class BulkSyncStateDefinition : SagaDefinition<BulkSyncState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<BulkSyncState> sagaConfigurator,
        IRegistrationContext context) => SagaEndpointRetry.Configure(endpointConfigurator, context);
}
