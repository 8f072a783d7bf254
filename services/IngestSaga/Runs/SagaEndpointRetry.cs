using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using MassTransit;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// The retries of a saga's endpoint. The saga's rows are in the database, so a message reaching it while the database
/// restarts (a consumer's fault, a poll's answer) cannot be handled until it is back: it is retried with backoff for
/// about two and a half minutes (<see cref="InfrastructureFaults"/> decides what is transient), each attempt on a pool
/// cleared of dropped connections, instead of ending in the endpoint's error queue after the bus's few quick retries.
/// Inside that, a concurrency conflict (another replica or a redelivery changed the row) is retried at once against the
/// fresh row; and the commands the saga sends leave only after its state is saved (in-memory outbox).
/// </summary>
public static class SagaEndpointRetry
{
    public const int ConcurrencyRetries = 10;
    public const int InfrastructureRetries = 8;
    public static readonly TimeSpan FirstInfrastructureRetry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestInfrastructureRetry = TimeSpan.FromSeconds(30);

    public static void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(InfrastructureFaults.IsTransient);
            retry.Exponential(InfrastructureRetries, FirstInfrastructureRetry, LongestInfrastructureRetry, TimeSpan.FromSeconds(2));
        });
        endpoint.UseConsumeFilter(typeof(DroppedConnectionFilter<>), context);
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<Exception>(InfrastructureFaults.IsTransient);
            retry.Immediate(ConcurrencyRetries);
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
