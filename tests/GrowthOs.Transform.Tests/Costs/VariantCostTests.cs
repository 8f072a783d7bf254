using System.Text;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.Testing;
using GrowthOs.Transform.Costs;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// Each variant's unit cost from Shopify's inventory items, kept with the reporting day it was seen (Shopify answers only
/// the cost of today, so its history is what the syncs saw).
/// </summary>
public sealed class VariantCostTests : IAsyncLifetime
{
    private const string Shop = "cost-test.myshopify.com";
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync() => (_database, _dataSource) = await TransformDatabase.Create("growthos_transform_costs");

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>An inventory item line of Shopify's bulk JSONL (the Connector's inventory query), with its cost or none.</summary>
    private static string Item(long id, long variantId, string? cost, string currency = "USD")
    {
        var unitCost = cost is null ? "null" : $"{{\"amount\":\"{cost}\",\"currencyCode\":\"{currency}\"}}";
        return $"{{\"__typename\":\"InventoryItem\",\"id\":\"gid://shopify/InventoryItem/{id}\",\"sku\":\"SKU-{id}\","
            + $"\"updatedAt\":\"2026-11-04T00:00:00Z\",\"variant\":{{\"id\":\"gid://shopify/ProductVariant/{variantId}\"}},\"unitCost\":{unitCost}}}";
    }

    private static BulkLineParser.Result Parsed(string line) => BulkLineParser.Parse(Encoding.UTF8.GetBytes(line), 1);

    [Fact]
    public void A_unit_cost_is_read_in_minor_units_of_its_currency_rounded_half_away_from_zero_and_an_item_without_one_has_none()
    {
        var item = Assert.IsType<BulkLineParser.InventoryItem>(Parsed(Item(1, 11, "4.125"))).Record;
        Assert.Equal((413L, "USD"), (item.UnitCostMinor!.Value, item.UnitCostCurrency));
        Assert.Equal(1250L, Assert.IsType<BulkLineParser.InventoryItem>(Parsed(Item(1, 11, "1250", "JPY"))).Record.UnitCostMinor);
        var none = Assert.IsType<BulkLineParser.InventoryItem>(Parsed(Item(2, 12, null))).Record;
        Assert.Equal((null, null), (none.UnitCostMinor, none.UnitCostCurrency));
        // A cost that is not an amount rejects the line with its reason, as any malformed money does.
        Assert.Contains("unitCost 'about 4' is not a valid USD amount", Assert.IsType<BulkLineParser.Rejected>(Parsed(Item(3, 13, "about 4"))).Record.Reason);
    }

    [Fact]
    public async Task A_cost_is_kept_from_the_shops_day_it_was_first_seen_and_again_only_when_it_changes()
    {
        // The shop counts Tokyo's days: 23:30 UTC on 1 March is already 2 March there.
        var marts = Options.Create(new MartsOptions { TimeZones = ReportingTimeZones.Of(new Dictionary<string, string> { [Shop] = "Asia/Tokyo" }) });
        var costs = new VariantCosts(_dataSource, marts);
        var firstSeen = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(2, await Sync(costs, firstSeen, Item(1, 11, "4.00"), Item(2, 12, "7.50"), Item(3, 13, null)));
        // Three days on, one cost changed: that variant alone gets a row, from that day.
        Assert.Equal(1, await Sync(costs, firstSeen.AddDays(3), Item(1, 11, "4.00"), Item(2, 12, "8.10"), Item(3, 13, null)));
        // Seen again the same day with another cost: that day's row is replaced, no other.
        Assert.Equal(1, await Sync(costs, firstSeen.AddDays(3).AddHours(1), Item(1, 11, "4.00"), Item(2, 12, "8.20"), Item(3, 13, null)));
        Assert.Equal(0, await Sync(costs, firstSeen.AddDays(4), Item(1, 11, "4.00"), Item(2, 12, "8.20"), Item(3, 13, null)));

        Assert.Equal(
            ["11 2026-03-02 400 USD", "12 2026-03-02 750 USD", "12 2026-03-05 820 USD"],
            await Texts("""
                SELECT variant_id || ' ' || to_char(effective_from, 'YYYY-MM-DD') || ' ' || unit_cost_minor || ' ' || currency_code
                FROM transform.variant_cost WHERE shop_domain = @shop AND source = 'shopify' ORDER BY variant_id, effective_from
                """));
        Assert.Equal(820L, await Scalar("SELECT unit_cost_minor FROM transform.inventory_item WHERE shop_domain = @shop AND inventory_item_id = 2"));
    }

    /// <summary>Loads the items as a run of an inventory extraction asked for at <paramref name="seenAt"/>, then records their costs.</summary>
    private async Task<int> Sync(VariantCosts costs, DateTimeOffset seenAt, params string[] items)
    {
        var runId = Guid.NewGuid();
        await TransformDatabase.Loader(_dataSource).Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', items))), Shop, runId,
            $"raw/shopify/{Shop}/inventory/{runId:N}.jsonl", CancellationToken.None);
        return await costs.RecordSeen(Shop, runId, seenAt, CancellationToken.None);
    }

    private async Task<List<string>> Texts(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("shop", Shop);
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) texts.Add(reader.GetString(0));
        return texts;
    }

    private async Task<long> Scalar(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("shop", Shop);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
