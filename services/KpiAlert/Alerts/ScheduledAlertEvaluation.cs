using GrowthOs.KpiAlert.Kpis;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// Evaluates every shop's rules on a schedule (<see cref="AlertOptions.EvaluateEveryMinutes"/>), besides after each KPI
/// refresh: a period moves on with the clock.
/// </summary>
public sealed class ScheduledAlertEvaluation(IServiceScopeFactory scopes, KpiStore store, AlertEvaluator evaluator, IOptions<AlertOptions> options,
    ILogger<ScheduledAlertEvaluation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.EvaluateEveryMinutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                foreach (var shop in await store.Shops(stoppingToken)) await evaluator.Evaluate(bus, shop, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or MassTransitException
                && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not evaluate the alert rules; trying again at the next tick");
            }
        }
    }
}
