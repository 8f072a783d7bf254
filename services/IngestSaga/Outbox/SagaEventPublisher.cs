using System.Text.Json;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Observability;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.IngestSaga.Outbox;

/// <summary>
/// Publishes the events runs wrote to <c>ingest.saga_event_outbox</c>, in the order they were raised, each with its event id as its
/// message id and in its run's trace. One replica publishes at a time (a transaction advisory lock), so every run's
/// events leave in the order raised; the rows are claimed in a transaction that marks them published once the broker
/// took them, so none is published twice by two replicas. If the process dies
/// after the broker took an event and before the mark was committed, that event is published again with the same id:
/// delivery is at least once, and a subscriber drops a repeat by its message id.
/// </summary>
public sealed class SagaEventPublisher(
    NpgsqlDataSource dataSource, IBus bus, SagaEventSignal signal, IOptions<SagaEventOptions> options, TimeProvider clock,
    ILogger<SagaEventPublisher> logger)
    : BackgroundService
{
    /// <summary>The advisory lock a replica holds while it publishes ("saga-evt" as a number).</summary>
    private const long PublisherLock = 0x736167612D657674;

    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Publish)
        {
            logger.LogWarning("SagaEvents:Publish is off: this replica writes the runs' events and leaves their publishing to others");
            return;
        }

        var interval = TimeSpan.FromMilliseconds(settings.ScanIntervalMilliseconds);
        var failures = 0;
        try
        {
            await ReleaseKnown(stoppingToken);
        }
        catch (NpgsqlException exception)
        {
            logger.LogWarning(exception, "Could not release the events set aside that this build can publish; they wait for its next start");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more are waiting: go on at once.
                while (await PublishPending(settings, stoppingToken) == settings.BatchSize) { }
                await DeletePublished(settings, stoppingToken);
                failures = 0;
                await signal.Wait(interval, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or MassTransitException or InvalidOperationException
                                              or JsonException && !stoppingToken.IsCancellationRequested)
            {
                failures++;
                logger.LogWarning(exception, "Could not publish the runs' events; trying again");
                await Task.Delay(interval * Math.Min(failures, 10), stoppingToken);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // A publish past its deadline: the broker is wedged or away; the events wait in the table.
                failures++;
                logger.LogWarning("Publishing the runs' events timed out; trying again");
                await Task.Delay(interval * Math.Min(failures, 10), stoppingToken);
            }
        }
    }

    /// <summary>Publishes one batch of waiting events; returns how many it published.</summary>
    public async Task<int> PublishPending(SagaEventOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One publisher at a time, whichever replica: each run's events then leave in the order they were raised (a run's
        // saves are serialized by its row version, so its events commit in that order too).
        await using (var turn = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@lock)", connection, transaction))
        {
            turn.Parameters.AddWithValue("lock", PublisherLock);
            if (await turn.ExecuteScalarAsync(cancellationToken) is not true) return 0;
        }
        var pending = new List<(Guid EventId, Guid RunId, string Type, string Body, string? TraceParent)>();
        await using (var claim = new NpgsqlCommand("""
            SELECT event_id, run_id, message_type, body::text, trace_parent
              FROM ingest.saga_event_outbox
             WHERE published_at IS NULL AND set_aside_at IS NULL
             ORDER BY created_at, seq
             LIMIT @batch
               FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("batch", settings.BatchSize);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                pending.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        if (pending.Count == 0) return 0;

        var published = new List<Guid>(pending.Count);
        var setAside = new List<(Guid EventId, string Reason)>();
        try
        {
            foreach (var (eventId, runId, typeName, body, traceParent) in pending)
            {
                var type = SagaEventTypes.Find(typeName);
                object? message;
                try
                {
                    message = type is null ? null : JsonSerializer.Deserialize(body, type, JsonSerializerOptions.Web);
                }
                catch (JsonException exception)
                {
                    setAside.Add((eventId, $"{BrokenBody} {typeName}: {exception.Message}"));
                    logger.LogError("Event {EventId} of run {RunId} is not a {MessageType} ({Error}); it is set aside",
                        eventId, runId, typeName, exception.Message);
                    continue;
                }
                if (message is null)
                {
                    // Written by a newer or older build that knew this event; this one cannot publish it, and sets it aside for one that can.
                    setAside.Add((eventId, $"{typeName} is not an event this build publishes"));
                    logger.LogError("Event {EventId} of run {RunId} has a type this build does not publish ({MessageType}); it is set aside",
                        eventId, runId, typeName);
                    continue;
                }

                using var activity = GrowthOsTelemetry.ContinueTrace("publish run event", traceParent);
                activity?.SetTag("growthos.run_id", runId);
                await PublishDeadline.Within(token => bus.Publish(message, type!, publish =>
                {
                    publish.MessageId = eventId;
                    publish.CorrelationId = runId;
                }, token), cancellationToken);
                published.Add(eventId);
            }
        }
        finally
        {
            if (published.Count > 0)
            {
                await using var mark = new NpgsqlCommand(
                    "UPDATE ingest.saga_event_outbox SET published_at = @now WHERE event_id = ANY(@ids)", connection, transaction);
                mark.Parameters.AddWithValue("now", clock.GetUtcNow());
                mark.Parameters.AddWithValue("ids", published.ToArray());
                await mark.ExecuteNonQueryAsync(CancellationToken.None);
            }
            foreach (var (eventId, reason) in setAside)
            {
                await using var aside = new NpgsqlCommand(
                    "UPDATE ingest.saga_event_outbox SET set_aside_at = @now, set_aside_reason = @reason WHERE event_id = @id", connection, transaction);
                aside.Parameters.AddWithValue("now", clock.GetUtcNow());
                aside.Parameters.AddWithValue("reason", reason);
                aside.Parameters.AddWithValue("id", eventId);
                await aside.ExecuteNonQueryAsync(CancellationToken.None);
            }
            if (published.Count > 0 || setAside.Count > 0) await transaction.CommitAsync(CancellationToken.None);
        }
        logger.LogDebug("Published {Count} run events", published.Count);
        return published.Count + setAside.Count;
    }

    /// <summary>How the reason of an event set aside for its body begins: no build can publish it, so none releases it.</summary>
    private const string BrokenBody = "its body is not a";

    /// <summary>Releases the events set aside whose type this build publishes (another build set them aside), to be published in their turn.</summary>
    public async Task<int> ReleaseKnown(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ingest.saga_event_outbox SET set_aside_at = NULL, set_aside_reason = NULL
            WHERE set_aside_at IS NOT NULL AND published_at IS NULL AND message_type = ANY(@known) AND NOT starts_with(set_aside_reason, @broken)
            """);
        command.Parameters.AddWithValue("broken", BrokenBody);
        command.Parameters.AddWithValue("known", SagaEventTypes.Names.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task DeletePublished(SagaEventOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextCleanup) return;
        _nextCleanup = now.AddHours(1);
        await using var command = dataSource.CreateCommand("DELETE FROM ingest.saga_event_outbox WHERE published_at < @before");
        command.Parameters.AddWithValue("before", now.AddDays(-settings.RetentionDays));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
