using System.Diagnostics;
using GrowthOs.Contracts.Commerce;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Observability;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Commerce;

/// <summary>
/// Publishes the order events of <c>transform.commerce_event_outbox</c> as <see cref="OrderChanged"/>, oldest first,
/// a batch per transaction claimed with SKIP LOCKED so replicas share the work. An event is marked published after
/// the bus took it; a crash in between publishes it again (same event id), never loses it.
/// </summary>
public sealed class CommerceEventDispatcher(
    NpgsqlDataSource dataSource, IBus bus, IOptions<CommerceEventOptions> options, ILogger<CommerceEventDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await PublishBatch(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning("Publishing order events failed; they stay in the outbox for the next attempt: {Error}", exception.Message);
            }
            if (published < options.Value.BatchSize) await Task.Delay(options.Value.PollMilliseconds, stoppingToken);
        }
    }

    /// <summary>Publishes one batch; returns how many events it held.</summary>
    public async Task<int> PublishBatch(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var events = new List<OrderChanged>();
        var writtenAt = new List<DateTime>();
        await using (var claim = new NpgsqlCommand("""
            SELECT event_id, run_id, shop_domain, order_id, order_name, changes, updated_at, currency_code, total_minor, refunded_minor,
                   financial_status, fulfillment_status, created_at
            FROM transform.commerce_event_outbox WHERE published_at IS NULL ORDER BY created_at LIMIT @batch FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("batch", options.Value.BatchSize);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new OrderChanged(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.GetFieldValue<string[]>(5), new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero), reader.GetString(7), reader.GetInt64(8),
                    reader.GetInt64(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11)));
                writtenAt.Add(reader.GetDateTime(12));
            }
        }
        if (events.Count == 0) return 0;

        await PublishDeadline.Within(token => bus.PublishBatch(events, token), cancellationToken);
        await using (var mark = new NpgsqlCommand(
            "UPDATE transform.commerce_event_outbox SET published_at = now() WHERE event_id = ANY(@ids)", connection, transaction))
        {
            mark.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        var now = DateTime.UtcNow;
        foreach (var written in writtenAt) GrowthOsMetrics.OutboxLag.Record((now - written).TotalSeconds, new TagList { { "outbox", "commerce_events" } });
        logger.LogInformation("Published {Events} order events", events.Count);
        return events.Count;
    }
}
