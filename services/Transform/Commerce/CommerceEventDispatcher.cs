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
/// the bus took it; a crash in between publishes it again (same event id), never loses it. Published events are
/// deleted once they are <see cref="CommerceEventOptions.RetentionDays"/> old: every order version loaded makes one row,
/// which a fleet of shops would otherwise keep for ever.
/// </summary>
public sealed class CommerceEventDispatcher(
    NpgsqlDataSource dataSource, IBus bus, IOptions<CommerceEventOptions> options, TimeProvider clock, ILogger<CommerceEventDispatcher> logger)
    : BackgroundService
{
    private const int DeleteBatch = 10_000;
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await PublishBatch(stoppingToken);
                var now = clock.GetUtcNow();
                if (now >= _nextCleanup)
                {
                    _nextCleanup = now.AddHours(1);
                    await DeletePublished(now.AddDays(-options.Value.RetentionDays), stoppingToken);
                }
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

    /// <summary>Deletes the events published before <paramref name="before"/>, in batches; returns how many.</summary>
    public async Task<long> DeletePublished(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM transform.commerce_event_outbox WHERE event_id IN (
                    SELECT event_id FROM transform.commerce_event_outbox WHERE published_at < @before LIMIT @batch)
                """);
            command.Parameters.AddWithValue("before", before);
            command.Parameters.AddWithValue("batch", DeleteBatch);
            var batch = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += batch;
            if (batch < DeleteBatch) break;
        }
        if (deleted > 0) logger.LogInformation("Deleted {Events} order events published before {Before}", deleted, before);
        return deleted;
    }
}
