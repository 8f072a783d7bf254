using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>
/// Ends the process when its bus stays unhealthy for <see cref="RabbitMqOptions.UnhealthyExitSeconds"/>, so that the
/// deployment (restart: unless-stopped, a liveness probe) starts it again with a new connection. MassTransit reconnects
/// to a restarted broker by itself; but a broker restart can leave a connection wedged (an operation waits for a
/// confirm that never comes), and then the receive endpoints never come back while the process looks alive. Still so on
/// RabbitMQ.Client 7.2.2 (MassTransit 8.5.12): with the watchdog off, the whole suite's broker-restart crash test left
/// the Transform's receive endpoints without a consumer for good (see the README). Nothing is lost by ending:
/// unacknowledged messages are delivered again, and every wait is durable.
/// </summary>
public sealed class BusWatchdog(IBusControl bus, IHostApplicationLifetime lifetime, IOptions<RabbitMqOptions> options, TimeProvider clock,
    ILogger<BusWatchdog> logger) : BackgroundService
{
    /// <summary>Exit code of a process ended by the watchdog.</summary>
    public const int ExitCode = 75;

    private static readonly TimeSpan Look = TimeSpan.FromSeconds(5);

    /// <summary>The bus's own health, or unhealthy when even asking does not answer in time.</summary>
    private async Task<(BusHealthStatus Status, string Description)> Health(CancellationToken cancellationToken)
    {
        try
        {
            var health = await Task.Run(bus.CheckHealth, cancellationToken).WaitAsync(Look, cancellationToken);
            return (health.Status, health.Description);
        }
        catch (TimeoutException)
        {
            return (BusHealthStatus.Unhealthy, $"its health check did not answer within {Look.TotalSeconds:N0} s");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limit = TimeSpan.FromSeconds(options.Value.UnhealthyExitSeconds);
        DateTimeOffset? unhealthySince = null;
        using var timer = new PeriodicTimer(Look, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var (status, description) = await Health(stoppingToken);
            // Publishes that time out one after the other say the connection is wedged, whatever the endpoints report.
            if (PublishDeadline.StalledSince is { } stalled && status == BusHealthStatus.Healthy)
                (status, description, unhealthySince) = (BusHealthStatus.Unhealthy, $"every publish since {stalled:o} timed out", unhealthySince ?? stalled);
            if (status == BusHealthStatus.Healthy)
            {
                if (unhealthySince is not null) logger.LogInformation("The bus is healthy again");
                unhealthySince = null;
                continue;
            }
            var now = clock.GetUtcNow();
            if (unhealthySince is null)
            {
                unhealthySince = now;
                logger.LogWarning("The bus is {Status}: {Description}", status, description);
            }
            if (now - unhealthySince < limit) continue;

            logger.LogCritical(
                "The bus has been {Status} for {Seconds:N0} s ({Description}); ending the process so that it is started again with a new connection",
                status, (now - unhealthySince.Value).TotalSeconds, description);
            Environment.ExitCode = ExitCode;
            lifetime.StopApplication();
            // A wedged transport may also hold up a graceful stop; the process ends regardless.
            _ = Task.Delay(TimeSpan.FromSeconds(45), CancellationToken.None).ContinueWith(_ => Environment.Exit(ExitCode), TaskScheduler.Default);
            return;
        }
    }
}
