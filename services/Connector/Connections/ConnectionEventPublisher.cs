using System.Text.Json;
using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Publishes the registry's events (<c>connector.connection_event</c>), a shop's purge among them, in the order they were written, each with its
/// event id as its message id. One replica publishes at a time (a transaction advisory lock); a row is marked published
/// in the transaction that claimed it once the broker took it, so delivery is at least once and in order. A copy keeps
/// the newest version of each connection it heard, so a repeat changes nothing.
/// </summary>
public sealed class ConnectionEventPublisher(NpgsqlDataSource dataSource, IBus bus, ConnectionEventSignal signal, ILogger<ConnectionEventPublisher> logger)
    : BackgroundService
{
    private const long PublisherLock = 0x636F6E6E2D657674; // "conn-evt"
    private const int BatchSize = 100;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(ConnectionConnected), typeof(ConnectionSettingsChanged), typeof(ConnectionPaused), typeof(ConnectionResumed), typeof(ConnectionDisconnected),
        typeof(ShopPurgeRequested),
    }.ToDictionary(t => t.Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishPending(stoppingToken) == BatchSize) { }
                failures = 0;
                await signal.Wait(Interval, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or MassTransitException or JsonException
                                              or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                failures++;
                logger.LogWarning("Could not publish the connections' events; trying again: {Error}", exception.Message);
                await Task.Delay(Interval * Math.Min(failures, 10), stoppingToken);
            }
        }
    }

    public async Task<int> PublishPending(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var turn = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@lock)", connection, transaction))
        {
            turn.Parameters.AddWithValue("lock", PublisherLock);
            if (await turn.ExecuteScalarAsync(cancellationToken) is not true) return 0;
        }
        var pending = new List<(long Seq, Guid EventId, string Type, string Body)>();
        await using (var claim = new NpgsqlCommand(
            "SELECT seq, event_id, message_type, body::text FROM connector.connection_event WHERE published_at IS NULL ORDER BY seq LIMIT @batch",
            connection, transaction))
        {
            claim.Parameters.AddWithValue("batch", BatchSize);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) pending.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }
        if (pending.Count == 0) return 0;

        var published = new List<long>();
        try
        {
            foreach (var (seq, eventId, typeName, body) in pending)
            {
                var type = Types[typeName];
                var message = JsonSerializer.Deserialize(body, type, JsonSerializerOptions.Web)!;
                await PublishDeadline.Within(token => bus.Publish(message, type, publish => publish.MessageId = eventId, token), cancellationToken);
                published.Add(seq);
            }
        }
        finally
        {
            if (published.Count > 0)
            {
                await using var mark = new NpgsqlCommand(
                    "UPDATE connector.connection_event SET published_at = now() WHERE seq = ANY(@seqs)", connection, transaction);
                mark.Parameters.AddWithValue("seqs", published.ToArray());
                await mark.ExecuteNonQueryAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
        }
        return published.Count;
    }
}
