using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>
/// Whether a consumer's fault came from the infrastructure being away for a while rather than from what the command
/// asked (<see cref="InfrastructureFaults"/>, the classification every service's retries share). Such a fault does not
/// fail the entity: the run waits durably with backoff and sends the command again, within its retry budget.
/// </summary>
public static class TransientFaults
{
    /// <summary>The reason code a run records for a wait after such a fault.</summary>
    public const string Code = "INFRASTRUCTURE_UNAVAILABLE";

    public static bool IsTransient<T>(Fault<T> fault) where T : class => fault.Exceptions.Any(InfrastructureFaults.IsTransient);
}
