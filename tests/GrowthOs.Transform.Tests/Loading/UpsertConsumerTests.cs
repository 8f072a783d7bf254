using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Testing;
using GrowthOs.Transform.Costs;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using GrowthOs.Transform.Privacy;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>The upsert command's consumer over the real PostgreSQL and S3-compatible server, on the in-memory bus.</summary>
public sealed class UpsertConsumerTests : IAsyncLifetime
{
    private const string Shop = "turns.myshopify.com";
    private const string OtherShop = "other-turns.myshopify.com";
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ObjectStore _store = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_upsert_turns");
        _store = new ObjectStore(LocalInfrastructure.S3Client(),
            Options.Create(new S3Options { ServiceUrl = LocalInfrastructure.S3ServiceUrl, Bucket = LocalInfrastructure.NewBucketName("turns") }));
        await _store.EnsureBucket(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_dataSource)
            .AddSingleton(_store)
            .AddSingleton(Options.Create(new UpsertOptions { ChunkSize = 5_000 }))
            .AddSingleton(new OrderUpserter(_dataSource))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<BulkFileLoader>()
            .AddSingleton(new CustomerRedactions(_dataSource))
            .AddSingleton(new VariantCosts(_dataSource, Options.Create(new MartsOptions())))
            .AddMassTransitTestHarness(bus => bus.AddConsumer<UpsertArchivedRecordsConsumer>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(90);
        // Each wait below has its own deadline; a quiet spell of a busy machine must not end it first.
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(30);
        await _harness.Start();
    }

    /// <summary>The fixture's orders, archived under a run's key for <paramref name="shop"/>.</summary>
    private async Task<UpsertArchivedRecords> Archived(string shop)
    {
        var runId = Guid.NewGuid();
        var key = $"raw/shopify/{shop}/orders/2026/11/22/{runId:N}-1.jsonl";
        await using var fixture = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        await _store.Upload(key, fixture, "application/x-ndjson", CancellationToken.None);
        return new UpsertArchivedRecords(runId, shop, "orders", key);
    }

    private async Task<long> OrdersOf(string shop)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM transform.order_header WHERE shop_domain = @shop");
        command.Parameters.AddWithValue("shop", shop);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<bool> Answered(UpsertArchivedRecords command, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        return await _harness.Published.Any<ArchivedRecordsUpserted>(published => published.Context.Message.RunId == command.RunId, timeout.Token);
    }

    [Fact]
    public async Task A_load_of_a_shops_orders_waits_for_another_runs_load_of_them_but_not_another_shops()
    {
        var first = await Archived(Shop);
        var second = await Archived(Shop);
        var elsewhere = await Archived(OtherShop);
        Assert.Equal(UpsertArchivedRecordsConsumer.LockName(first), UpsertArchivedRecordsConsumer.LockName(second));

        // The first run's load holds the shop's orders: the second run's waits without writing, another shop's goes on.
        var held = await AdvisoryLock.Take(_dataSource, UpsertArchivedRecordsConsumer.LockName(first), CancellationToken.None);
        await using (held)
        {
            await _harness.Bus.Publish(second);
            await _harness.Bus.Publish(elsewhere);
            Assert.True(await Answered(elsewhere, TimeSpan.FromSeconds(30)));
            Assert.True(await OrdersOf(OtherShop) > 0);
            Assert.False(await Answered(second, TimeSpan.FromSeconds(2)));
            Assert.Equal(0L, await OrdersOf(Shop));
        }

        Assert.True(await Answered(second, TimeSpan.FromSeconds(30)));
        Assert.Equal(await OrdersOf(OtherShop), await OrdersOf(Shop));
    }

    [Fact]
    public void Each_entity_of_a_shop_has_a_lock_of_its_own()
    {
        var orders = new UpsertArchivedRecords(Guid.NewGuid(), Shop, "orders", $"raw/shopify/{Shop}/orders/2026/11/22/a-1.jsonl");
        var products = orders with { Entity = "products", ArchiveKey = $"raw/shopify/{Shop}/products/2026/11/22/a-2.jsonl" };
        var inventory = orders with { Entity = "inventory", ArchiveKey = $"raw/shopify/{Shop}/inventory/2026/11/22/a-3.jsonl" };
        var names = new[] { orders, products, inventory }.Select(UpsertArchivedRecordsConsumer.LockName).ToList();
        Assert.Equal(3, names.Distinct().Count());
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
