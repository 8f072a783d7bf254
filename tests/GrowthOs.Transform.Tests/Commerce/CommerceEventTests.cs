using System.Text;
using GrowthOs.Contracts.Commerce;
using GrowthOs.Testing;
using GrowthOs.Transform.Commerce;
using GrowthOs.Transform.Loading;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>Each new or changed order becomes one event, written with the order and published from the outbox.</summary>
public sealed class CommerceEventTests : IAsyncLifetime
{
    private const string Shop = "events.myshopify.com";
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_events");
    }

    private Task<LoadSummary> Load(string jsonl) =>
        TransformDatabase.Loader(_dataSource, chunkSize: 4)
            .Load(new MemoryStream(Encoding.UTF8.GetBytes(jsonl)), Shop, Guid.NewGuid(), $"events-{Guid.NewGuid():N}", CancellationToken.None);

    private static string Golden() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden_shop.jsonl"));

    private async Task<Dictionary<long, string>> Events()
    {
        var events = new Dictionary<long, string>();
        await using var command =
            _dataSource.CreateCommand("SELECT order_id, array_to_string(changes, ',') FROM transform.commerce_event_outbox ORDER BY created_at");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events[reader.GetInt64(0)] = events.TryGetValue(reader.GetInt64(0), out var before) ? before + "|" + reader.GetString(1) : reader.GetString(1);
        return events;
    }

    [Fact]
    public async Task A_new_order_is_one_event_saying_what_it_is_and_loading_it_again_adds_none()
    {
        await Load(Golden());
        await Load(Golden());

        var events = await Events();
        Assert.Equal(9, events.Count);
        Assert.Equal("created,fulfilled,refunded", events[1]);
        Assert.Equal("created", events[2]);
        Assert.Equal("created,cancelled", events[3]);
    }

    [Fact]
    public async Task A_newer_version_is_one_more_event_with_its_changes_and_an_older_one_none()
    {
        var golden = Golden();
        await Load(golden);
        var order2 = golden.Split('\n').Single(l => l.Contains("\"id\":\"gid://shopify/Order/2\""));
        await Load(order2.Replace("\"updatedAt\":\"2026-11-11T10:00:00Z\"", "\"updatedAt\":\"2026-11-12T10:00:00Z\"")
            .Replace("PARTIALLY_FULFILLED", "FULFILLED"));
        await Load(order2.Replace("\"updatedAt\":\"2026-11-11T10:00:00Z\"", "\"updatedAt\":\"2026-11-10T16:00:00Z\""));

        Assert.Equal("created|updated,fulfilled", (await Events())[2]);
    }

    [Fact]
    public async Task An_event_id_names_the_order_version_whichever_run_loads_it()
    {
        await Load(Golden());
        var first = await EventIds();
        await using (var forget = _dataSource.CreateCommand("DELETE FROM transform.commerce_event_outbox; DELETE FROM transform.order_header"))
            await forget.ExecuteNonQueryAsync();
        await Load(Golden());

        Assert.Equal(9, first.Count);
        Assert.Equal(first, await EventIds());
    }

    [Fact]
    public async Task Events_of_orders_copied_as_new_carry_the_ids_the_upsert_gives_them()
    {
        // The first load COPYs the new orders and their events, the ids computed by the loader. The second finds every
        // order known in an older version, so it upserts them, and the upsert names the same versions' events in SQL.
        await Load(Golden());
        var copied = await EventsWithIds();
        await using var formula = _dataSource.CreateCommand("""
            SELECT count(*) FROM transform.commerce_event_outbox
            WHERE event_id <> (lpad(to_hex(order_id), 16, '0')
                               || left(md5(shop_domain || '/' || order_id || '/' || (extract(epoch FROM updated_at) * 1000000)::bigint), 16))::uuid
            """);
        Assert.Equal(0L, (long)(await formula.ExecuteScalarAsync())!);

        await using (var age = _dataSource.CreateCommand(
            "DELETE FROM transform.commerce_event_outbox; UPDATE transform.order_header SET updated_at = updated_at - interval '1 hour'"))
            await age.ExecuteNonQueryAsync();
        await Load(Golden());
        var upserted = await EventsWithIds();

        Assert.Equal(9, upserted.Count);
        Assert.All(upserted, e => Assert.StartsWith("updated", e.Value.Changes));
        Assert.Equal(copied.ToDictionary(e => e.Key, e => e.Value.Id), upserted.ToDictionary(e => e.Key, e => e.Value.Id));
    }

    private async Task<Dictionary<long, (Guid Id, string Changes)>> EventsWithIds()
    {
        var events = new Dictionary<long, (Guid Id, string Changes)>();
        await using var command = _dataSource.CreateCommand("SELECT order_id, event_id, array_to_string(changes, ',') FROM transform.commerce_event_outbox");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(reader.GetInt64(0), (reader.GetGuid(1), reader.GetString(2)));
        return events;
    }

    private async Task<SortedDictionary<long, Guid>> EventIds()
    {
        var ids = new SortedDictionary<long, Guid>();
        await using var command = _dataSource.CreateCommand("SELECT order_id, event_id FROM transform.commerce_event_outbox");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0), reader.GetGuid(1));
        return ids;
    }

    [Fact]
    public async Task The_dispatcher_publishes_each_event_once_and_marks_it()
    {
        await Load(Golden());
        await using var provider = new ServiceCollection()
            .AddMassTransitTestHarness()
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await harness.Start();
        var dispatcher = new CommerceEventDispatcher(_dataSource, harness.Bus, Options.Create(new CommerceEventOptions { BatchSize = 5 }),
            TimeProvider.System, NullLogger<CommerceEventDispatcher>.Instance);

        Assert.Equal(5, await dispatcher.PublishBatch(CancellationToken.None));
        Assert.Equal(4, await dispatcher.PublishBatch(CancellationToken.None));
        Assert.Equal(0, await dispatcher.PublishBatch(CancellationToken.None));

        Assert.True(await harness.Published.Any<OrderChanged>());
        var published = harness.Published.Select<OrderChanged>().Select(p => p.Context.Message).ToList();
        Assert.Equal(9, published.Select(e => e.EventId).Distinct().Count());
        var first = published.Single(e => e.OrderId == 1);
        Assert.Equal(["created", "fulfilled", "refunded"], first.Changes);
        Assert.Equal((6008L, 1620L, "USD"), (first.TotalMinor, first.RefundedMinor, first.CurrencyCode));
        await using var unpublished = _dataSource.CreateCommand("SELECT count(*) FROM transform.commerce_event_outbox WHERE published_at IS NULL");
        Assert.Equal(0L, (long)(await unpublished.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Published_events_past_their_retention_are_deleted_and_loading_their_versions_again_makes_none()
    {
        await Load(Golden());
        await using var provider = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var dispatcher = new CommerceEventDispatcher(_dataSource, harness.Bus, Options.Create(new CommerceEventOptions { BatchSize = 5 }),
            TimeProvider.System, NullLogger<CommerceEventDispatcher>.Instance);
        Assert.Equal(5, await dispatcher.PublishBatch(CancellationToken.None));
        // Five published a week ago, four not published yet: only the five go.
        await using (var aged = _dataSource.CreateCommand(
            "UPDATE transform.commerce_event_outbox SET published_at = now() - interval '8 days' WHERE published_at IS NOT NULL"))
            await aged.ExecuteNonQueryAsync();
        Assert.Equal(0, await dispatcher.DeletePublished(DateTimeOffset.UtcNow.AddDays(-9), CancellationToken.None));
        Assert.Equal(5, await dispatcher.DeletePublished(DateTimeOffset.UtcNow.AddDays(-7), CancellationToken.None));
        Assert.Equal(4, (await Events()).Count);

        await Load(Golden());
        Assert.Equal(4, (await Events()).Count);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
