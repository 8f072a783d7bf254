using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.IngestSaga.Telemetry;

/// <summary>
/// The archiver writes to the database and the object store, either of which may be away for a while (a restart, an
/// outage): a transient fault is retried with backoff for about four minutes before the event is given up to the error
/// queue, so an outage of that length loses no step of the archive. Its write is whole each time (every event of the
/// run so far), so a retry repeats nothing.
/// </summary>
public sealed class SyncTelemetryArchiverDefinition : ConsumerDefinition<SyncTelemetryArchiver>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SyncTelemetryArchiver> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(InfrastructureFaults.IsTransient);
            retry.Exponential(8, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));
        });
}
