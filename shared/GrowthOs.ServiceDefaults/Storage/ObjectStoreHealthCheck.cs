using Amazon.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GrowthOs.ServiceDefaults.Storage;

internal sealed class ObjectStoreHealthCheck(ObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.EnsureBucket(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The object store does not answer.", exception);
        }
    }
}
