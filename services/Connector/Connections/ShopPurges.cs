using System.Text.Json;
using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Privacy;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// A shop's purges: asked for in the transaction that records them, as an event of the registry's outbox (so it leaves
/// after the shop's disconnection, in order, and is not lost between the database and the broker), and the answers every
/// service sends back, kept by purge and service (a repeated answer changes nothing).
/// </summary>
public sealed class ShopPurges(
    NpgsqlDataSource dataSource, ConnectionRegistry registry, ConnectionEventSignal signal, IOptions<ConnectionOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Purges <paramref name="shop"/>: every connection of it still live is disconnected (its credentials destroyed) for
    /// <paramref name="reason"/>, then the purge is asked for, after those events in the outbox. <paramref name="connectionId"/>
    /// is the connection it was asked through, else the shop's own live one.
    /// </summary>
    public async Task PurgeShop(Guid purgeId, Guid? connectionId, string shop, string reason, string requestedBy, CancellationToken cancellationToken)
    {
        foreach (var connection in await registry.LiveOfShop(shop, cancellationToken))
        {
            await registry.Disconnect(connection.Snapshot.ConnectionId, reason, cancellationToken);
            if (connection.Snapshot.Provider == ConnectionProviders.Shopify) connectionId ??= connection.Snapshot.ConnectionId;
        }
        await Request(purgeId, connectionId, shop, reason, requestedBy, cancellationToken);
    }

    /// <summary>Records a purge of <paramref name="shop"/> and its event; a purge id recorded before is not asked again.</summary>
    private async Task Request(Guid purgeId, Guid? connectionId, string shop, string reason, string requestedBy, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO connector.purge (purge_id, connection_id, reason, requested_by, sweep_shop, sweep_at)
            VALUES (@id, @connection, @reason, @by, @shop, @sweep) ON CONFLICT DO NOTHING
            """, db, transaction))
        {
            insert.Parameters.AddWithValue("shop", shop);
            insert.Parameters.AddWithValue("sweep", clock.GetUtcNow().AddSeconds(options.Value.PurgeSweepAgainSeconds));
            insert.Parameters.AddWithValue("id", purgeId);
            insert.Parameters.AddWithValue("connection", (object?)connectionId ?? DBNull.Value);
            insert.Parameters.AddWithValue("reason", reason);
            insert.Parameters.AddWithValue("by", requestedBy);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return;
        }
        var connections = new List<Guid>();
        await using (var ids = new NpgsqlCommand("SELECT connection_id FROM connector.connection WHERE shop_domain = @shop", db, transaction))
        {
            ids.Parameters.AddWithValue("shop", shop);
            await using var reader = await ids.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) connections.Add(reader.GetGuid(0));
        }
        await ConnectionRegistry.WriteEvent(db, transaction, purgeId, connectionId ?? Guid.Empty, shop,
            new ShopPurgeRequested(purgeId, shop, reason, clock.GetUtcNow(), connections), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Raise();
    }

    /// <summary>
    /// Asks once more, for each purge whose time has come, that every service remove what it holds of the shop (what a
    /// run under way at the first sweep wrote after it), then forgets the shop. A shop connected again meanwhile is not
    /// swept: its new data is its own.
    /// </summary>
    public async Task<int> SweepAgain(CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var due = new List<(Guid Id, Guid? Connection, string Shop, string Reason)>();
        await using (var select = new NpgsqlCommand("""
            SELECT purge_id, connection_id, sweep_shop, reason FROM connector.purge
            WHERE sweep_shop IS NOT NULL AND sweep_at <= @now ORDER BY sweep_at LIMIT 20 FOR UPDATE SKIP LOCKED
            """, db, transaction))
        {
            select.Parameters.AddWithValue("now", clock.GetUtcNow());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                due.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }
        var swept = 0;
        foreach (var (id, connection, shop, reason) in due)
        {
            if ((await registry.LiveOfShop(shop, cancellationToken)).Count == 0)
            {
                await ConnectionRegistry.WriteEvent(db, transaction, NewId.NextGuid(), connection ?? Guid.Empty, shop,
                    new ShopPurgeRequested(id, shop, reason, clock.GetUtcNow(), []), cancellationToken);
                swept++;
            }
            await using var forget = new NpgsqlCommand(
                "UPDATE connector.purge SET sweep_shop = NULL, sweep_at = NULL, swept_again_at = now() WHERE purge_id = @id", db, transaction);
            forget.Parameters.AddWithValue("id", id);
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (swept > 0) signal.Raise();
        return swept;
    }

    public async Task Record(ShopPurged answer, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO connector.purge_answer (purge_id, service, removed, answered_at)
            SELECT @id, @service, @removed::jsonb, @at WHERE EXISTS (SELECT 1 FROM connector.purge WHERE purge_id = @id)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("id", answer.PurgeId);
        command.Parameters.AddWithValue("service", answer.Service);
        command.Parameters.AddWithValue("removed", JsonSerializer.Serialize(answer.Removed));
        command.Parameters.AddWithValue("at", answer.PurgedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PurgeReport?> Report(Guid purgeId, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        (Guid? Connection, string Reason, string By, DateTimeOffset At, DateTimeOffset? SweptAgain)? purge = null;
        await using (var select = new NpgsqlCommand(
            "SELECT connection_id, reason, requested_by, requested_at, swept_again_at FROM connector.purge WHERE purge_id = @id", db))
        {
            select.Parameters.AddWithValue("id", purgeId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                purge = (reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
        }
        if (purge is not { } found) return null;
        var answers = new List<PurgeAnswer>();
        await using (var select = new NpgsqlCommand(
            "SELECT service, answered_at, removed::text FROM connector.purge_answer WHERE purge_id = @id ORDER BY answered_at, service", db))
        {
            select.Parameters.AddWithValue("id", purgeId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                answers.Add(new PurgeAnswer(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                    JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(2)) ?? []));
        }
        var waiting = PurgeServices.All.Except(answers.Select(a => a.Service)).ToList();
        var removed = answers.SelectMany(a => a.Removed).ToList();
        return new PurgeReport(purgeId, found.Connection, found.Reason, found.By, found.At, waiting.Count == 0, waiting,
            removed.Where(r => !ShopPurge.IsObjects(r.Key)).Sum(r => r.Value), removed.Where(r => ShopPurge.IsObjects(r.Key)).Sum(r => r.Value), answers,
            found.SweptAgain);
    }
}
