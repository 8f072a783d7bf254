using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy.Configuration;

namespace GrowthOs.ApiGateway.Proxy;

/// <summary>Ready when every destination of every cluster answers its own <c>/health/live</c>.</summary>
public sealed class DownstreamHealthCheck(IProxyConfigProvider proxyConfig, IHttpClientFactory httpClients) : IHealthCheck
{
    public const string Client = "downstream-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var http = httpClients.CreateClient(Client);
        var destinations = proxyConfig.GetConfig().Clusters
            .SelectMany(c => (c.Destinations ?? new Dictionary<string, DestinationConfig>()).Select(d => (Cluster: c.ClusterId, d.Value.Address)))
            .ToList();
        var failures = new List<string>();
        await Task.WhenAll(destinations.Select(async destination =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri(new Uri(destination.Address), "/health/live"), cancellationToken);
                if (!response.IsSuccessStatusCode) lock (failures) failures.Add($"{destination.Cluster}: HTTP {(int)response.StatusCode}");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                lock (failures) failures.Add($"{destination.Cluster}: {exception.Message}");
            }
        }));
        return failures.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Downstream services not answering: {string.Join("; ", failures)}");
    }
}
