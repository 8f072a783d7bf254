using System.Text;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Transform.DailySales;
using GrowthOs.Transform.Orders;
using GrowthOs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>Loading bulk files into the real PostgreSQL that deploy/local/infra.sh starts.</summary>
public sealed class OrderLoadTests : IAsyncLifetime
{
    private const string Shop = "load-test.myshopify.com";
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_transform");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, new SchemaMigrations("transform", typeof(OrderUpserter).Assembly), NullLogger<SchemaMigrator>.Instance)
            .StartAsync(CancellationToken.None);
    }

    private BulkFileLoader Loader(int chunkSize = 5_000) =>
        new(new OrderUpserter(_dataSource), Options.Create(new UpsertOptions { ChunkSize = chunkSize }));

    private static Stream Fixture() => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));

    [Fact]
    public async Task Children_that_arrive_before_their_parent_are_joined_to_it()
    {
        var summary = await Loader(chunkSize: 1).Load(Fixture(), Shop, Guid.NewGuid(), CancellationToken.None);

        Assert.Equal((3L, 2L, 1L, 6L), (summary.Orders, summary.LineItems, summary.Rejected, summary.Lines));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.order_line_item l JOIN transform.order_header o USING (shop_domain, order_id)"));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 11, 0, 0, TimeSpan.Zero), summary.MaxUpdatedAt);
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)), (summary.FirstOrderDate!.Value, summary.LastOrderDate!.Value));
    }

    [Fact]
    public async Task Loading_the_same_file_twice_leaves_no_duplicate_and_reports_rejections()
    {
        var runId = Guid.NewGuid();
        await Loader().Load(Fixture(), Shop, runId, CancellationToken.None);
        await Loader().Load(Fixture(), Shop, runId, CancellationToken.None);

        Assert.Equal(3L, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.order_line_item"));
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM transform.rejected_record WHERE run_id = '{runId}' AND line_number = 6"));
    }

    [Fact]
    public async Task An_older_version_of_an_order_does_not_overwrite_a_newer_one()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), CancellationToken.None);
        var stale = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"))[1]
            .Replace("\"updatedAt\":\"2026-11-02T08:00:00Z\"", "\"updatedAt\":\"2026-11-01T00:00:00Z\"")
            .Replace("\"amount\":\"26.51\"", "\"amount\":\"1.00\"");
        await Loader().Load(new MemoryStream(Encoding.UTF8.GetBytes(stale)), Shop, Guid.NewGuid(), CancellationToken.None);

        Assert.Equal(2651L, await Scalar("SELECT total_minor FROM transform.order_header WHERE order_id = 1001"));
    }

    [Fact]
    public async Task A_malformed_line_stops_the_load_with_its_number_and_commits_nothing_of_its_chunk()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl")).ToList();
        lines.Insert(3, "{\"__typename\":\"Order\",");
        var file = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        var exception = await Assert.ThrowsAsync<MalformedLineException>(() => Loader(chunkSize: 2).Load(file, Shop, Guid.NewGuid(), CancellationToken.None));

        Assert.Equal(4, exception.LineNumber);
        // Lines 1-2 formed a full chunk and were committed; line 3 was in the chunk that line 4 broke.
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.order_header WHERE order_id = 1002"));
    }

    [Fact]
    public async Task Daily_sales_count_orders_and_revenue_without_test_or_cancelled_orders_and_fill_empty_days()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), CancellationToken.None);

        var (currency, days) = await new DailySalesRefresher(_dataSource).Refresh(Shop, new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 2), CancellationToken.None);

        // 2026-10-31: no orders. 2026-11-01: #1001 (26.51, created 23:59:59 UTC). 2026-11-02: #1002 is a test order,
        // #1003 is cancelled, #1004 was rejected: nothing counts.
        Assert.Equal("USD", currency);
        Assert.Equal(
            [(new DateOnly(2026, 10, 31), 0, 0L), (new DateOnly(2026, 11, 1), 1, 2651L), (new DateOnly(2026, 11, 2), 0, 0L)],
            days.Select(d => (d.Date, d.Orders, d.RevenueMinor)));
    }

    private async Task<long> Scalar(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
