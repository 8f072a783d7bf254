using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// The saga endpoint: a concurrency conflict (another replica or a redelivery changed the row) is retried at once
/// against the fresh row; the commands the saga publishes leave only after its state is saved (in-memory outbox), and
/// its events are saved with the state itself and published from the table (<see cref="Outbox.SagaEventPublisher"/>).
/// </summary>
public sealed class BulkSyncStateDefinition : SagaDefinition<BulkSyncState>
{
    private const int ConcurrencyRetries = 10;

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<BulkSyncState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Immediate(ConcurrencyRetries));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
