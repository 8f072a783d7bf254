using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.Privacy;

/// <summary>
/// Drops a run's request sent before its shop's purge and delivered after it (a sync asked for just before the shop
/// was deleted): the run would start on a shop that no longer exists and leave rows and telemetry the purge's sweeps
/// had already passed. A request sent after the purge (the shop connected again) goes on.
/// </summary>
public sealed class PurgedShopFilter<T>(NpgsqlDataSource dataSource, Func<T, string> shopOf, ILogger logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var sentAt = context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : DateTimeOffset.UtcNow;
        if (await PurgedShops.PurgedSince(dataSource, shopOf(context.Message), sentAt, context.CancellationToken))
        {
            logger.LogWarning("Dropped a {Message} sent at {SentAt:o}: its shop was purged since", typeof(T).Name, sentAt);
            return;
        }
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("purgedShop");
}
