using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>Products, variants, inventory levels and customers, extracted through the Sandbox and loaded, with no personal data kept.</summary>
[Collection(SystemCollection.Name)]
public sealed class EntitySyncTests(RunningSystem system)
{
    private static readonly string[] AllEntities = ["orders", "products", "inventory", "customers"];

    [Fact]
    public async Task A_sync_of_every_entity_loads_catalogue_stock_and_customers_and_keeps_no_plain_e_mail()
    {
        const string shop = RunningSystem.CatalogShop;
        using var http = system.GatewayClient();
        var run = await system.WaitForRunToFinish(http, await system.StartSync(http, shop, AllEntities), seconds: 240);

        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        var outcomes = run.GetProperty("entities").EnumerateArray().ToList();
        Assert.Equal(AllEntities, outcomes.Select(o => o.GetProperty("entity").GetString()));
        Assert.All(outcomes, o => Assert.Equal("loaded", o.GetProperty("status").GetString()));
        Assert.Equal(4, run.GetProperty("steps").EnumerateArray().Count(s => s.GetProperty("step").GetString() == "upserting"));

        // The run's telemetry in the archive keeps every step of every entity, each line naming its entity.
        var telemetry = await system.WaitForTelemetry(run.GetProperty("run_id").GetGuid(),
            run.GetProperty("steps")[0].GetProperty("started_at").GetDateTimeOffset(), "completed");
        static string? EntityOf(JsonElement line) =>
            line.TryGetProperty("entity", out var entity) && entity.ValueKind == JsonValueKind.String ? entity.GetString() : null;
        foreach (var entity in AllEntities)
            foreach (var step in new[] { "requested", "polling", "downloading", "upserting" })
                Assert.True(telemetry.Any(t => t.GetProperty("step").GetString() == step && EntityOf(t) == entity),
                    $"no {step} of {entity} in the telemetry: {string.Join(", ", telemetry.Select(t => $"{t.GetProperty("step")}/{EntityOf(t)}"))}");

        // The Sandbox's catalogue: 40 products, each variant stocked at two or three locations.
        Assert.Equal(40L, await system.Scalar($"SELECT count(*) FROM transform.product WHERE shop_domain = '{shop}'"));
        var variants = await system.Scalar($"SELECT count(*) FROM transform.product_variant WHERE shop_domain = '{shop}'");
        Assert.InRange(variants, 40, 160);
        Assert.Equal(variants, await system.Scalar($"SELECT count(*) FROM transform.inventory_item WHERE shop_domain = '{shop}'"));
        Assert.Equal(0L, await system.Scalar($"""
            SELECT count(*) FROM (SELECT inventory_item_id FROM transform.inventory_level WHERE shop_domain = '{shop}'
                                  GROUP BY inventory_item_id HAVING count(*) < 2) thin
            """));
        Assert.Equal(0L, await system.Scalar($"""
            SELECT count(*) FROM transform.product_variant v
            WHERE v.shop_domain = '{shop}' AND v.inventory_quantity <> (SELECT sum(available) FROM transform.inventory_level l
                  WHERE l.shop_domain = v.shop_domain AND l.inventory_item_id = v.inventory_item_id)
            """));
        Assert.Equal(0L, await system.Scalar(
            $"SELECT count(*) FROM transform.product_variant WHERE shop_domain = '{shop}' AND (price_minor IS NULL OR currency_code <> 'USD')"));
        // Unit costs: about nine items in ten have one (30 to 55 % of the price), each kept from the day it was seen.
        var costed = await system.Scalar($"""
            SELECT count(*) FROM transform.variant_cost c JOIN transform.product_variant v USING (shop_domain, variant_id)
            WHERE c.shop_domain = '{shop}' AND c.source = 'shopify' AND c.currency_code = 'USD'
              AND c.unit_cost_minor BETWEEN v.price_minor * 0.29 AND v.price_minor * 0.56
            """);
        Assert.InRange(costed, variants * 3 / 4, variants - 1);
        Assert.Equal(costed, await system.Scalar(
            $"SELECT count(*) FROM transform.inventory_item WHERE shop_domain = '{shop}' AND unit_cost_minor IS NOT NULL"));

        // The profit of the last 30 days: the marts' net sales, the cost of goods of the lines with a known cost, and how
        // much is known (most lines: about one variant in ten has no cost).
        var profit = await http.GetFromJsonAsync<JsonElement>($"/api/profit?shop={shop}&days=30");
        var (from, to) = (profit.GetProperty("from").GetString(), profit.GetProperty("to").GetString());
        var current = profit.GetProperty("current");
        long Figure(string name) => current.GetProperty(name).GetInt64();
        Assert.Equal(await system.Scalar($"""
                SELECT COALESCE(sum(net_sales_minor), 0) FROM transform.sales_metrics_daily
                WHERE shop_domain = '{shop}' AND date BETWEEN '{from}' AND '{to}'
                """),
            Figure("net_sales_minor"));
        Assert.True(Figure("net_sales_minor") > 0 && Figure("cogs_minor") > 0, $"no sales or no cost of goods: {profit}");
        Assert.Equal(Figure("net_sales_minor") - Figure("cogs_minor"), Figure("gross_profit_minor"));
        Assert.Equal(Math.Round((decimal)Figure("gross_profit_minor") / Figure("net_sales_minor"), 4, MidpointRounding.AwayFromZero),
            current.GetProperty("gross_margin").GetDecimal());
        Assert.InRange(current.GetProperty("cogs_coverage").GetDecimal(), 0.5m, 0.999m);
        Assert.True(Figure("lines_without_cost") > 0, $"every line had a cost: {profit}");
        // Every counted order is a first, a repeat or a guest's; the demo shop's customers come back.
        var buyers = current.GetProperty("customers");
        long Split(string name) => buyers.GetProperty(name).GetInt64();
        Assert.Equal(Figure("orders"), Split("first_orders") + Split("repeat_orders") + Split("guest_orders"));
        Assert.True(Split("first_orders") > 0 && Split("repeat_orders") > 0, $"no first or no repeat order: {buyers}");
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/profit?shop={shop}&days=30")).StatusCode);

        // Refunds and fulfillments come with their orders; refunds land days after their order.
        Assert.True(await system.Scalar($"SELECT count(*) FROM transform.order_refund r JOIN transform.order_header o USING (shop_domain, order_id) "
            + $"WHERE r.shop_domain = '{shop}' AND r.created_at::date > o.created_at::date") > 0);
        Assert.True(await system.Scalar(
            $"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}' AND fulfillment_status = 'PARTIALLY_FULFILLED'") > 0);
        Assert.True(await system.Scalar($"SELECT count(*) FROM transform.order_fulfillment WHERE shop_domain = '{shop}'") > 0);

        // Customers: the e-mail address exists only as a SHA-256, in the database and in the archive.
        var customers = await system.Scalar($"SELECT count(*) FROM transform.customer WHERE shop_domain = '{shop}'");
        Assert.InRange(customers, 100, 2_400);
        Assert.Equal(customers,
            await system.Scalar($"SELECT count(*) FROM transform.customer WHERE shop_domain = '{shop}' AND email_sha256 ~ '^[0-9a-f]{{64}}$'"));
        var customersArchive = outcomes.Single(o => o.GetProperty("entity").GetString() == "customers").GetProperty("archive_key").GetString()!;
        var archived = await LocalInfrastructure.ReadObject(system.Bucket, customersArchive);
        Assert.DoesNotContain("@example.com", archived);
        Assert.Contains("emailAddressSha256", archived);

        await TheDashboardsShowTheMarts(http, shop);
        await EveryOrderIsPublishedOnceAndNotAgainOnAReRun(http, shop);

        // Each entity read from its watermark advances its own; inventory is read whole and has none.
        var marks = await system.Query<string>($"SELECT string_agg(entity, ',' ORDER BY entity) FROM ingest.shop_watermark WHERE shop_domain = '{shop}'");
        Assert.Equal("customers,orders,products", marks);
    }

    private async Task EveryOrderIsPublishedOnceAndNotAgainOnAReRun(HttpClient http, string shop)
    {
        var orders = await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}'");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await system.Scalar($"SELECT count(*) FROM transform.commerce_event_outbox WHERE shop_domain = '{shop}' AND published_at IS NULL") > 0
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM transform.commerce_event_outbox WHERE shop_domain = '{shop}' AND published_at IS NULL"));
        Assert.Equal(orders, await system.Scalar($"SELECT count(*) FROM transform.commerce_event_outbox WHERE shop_domain = '{shop}'"));

        // The next sync re-reads the lookback window: the same order versions, so no event.
        var again = await system.WaitForRunToFinish(http, await system.StartSync(http, shop, ["orders"]));
        Assert.Equal("completed", again.GetProperty("status").GetString());
        Assert.True(again.GetProperty("counts").GetProperty("orders_upserted").GetInt64() > 0, again.ToString());
        Assert.Equal(orders, await system.Scalar($"SELECT count(*) FROM transform.commerce_event_outbox WHERE shop_domain = '{shop}'"));
    }

    /// <summary>Sales pulse, stock alerts and customer segments through the gateway agree with the marts, and an order shows its refunds.</summary>
    private async Task TheDashboardsShowTheMarts(HttpClient http, string shop)
    {
        var pulse = await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/sales-pulse?shop={shop}&days=60");
        long Minor(string name) => pulse.GetProperty(name).GetInt64();
        Assert.Equal(Minor("gross_sales_minor") - Minor("discounts_minor") - Minor("refunds_minor"), Minor("net_sales_minor"));
        Assert.True(Minor("refunds_minor") > 0, pulse.ToString());
        Assert.InRange(pulse.GetProperty("fulfillment_rate").GetDecimal(), 0.5m, 1m);

        var alerts = await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/inventory-alerts?shop={shop}");
        Assert.Equal(await system.Scalar($"SELECT count(*) FROM transform.v_inventory_alerts WHERE shop_domain = '{shop}'"),
            alerts.GetProperty("alerts").GetArrayLength());
        Assert.True(alerts.GetProperty("counts").GetProperty("out_of_stock").GetInt32() > 0, alerts.ToString());
        Assert.Equal("critical", alerts.GetProperty("alerts")[0].GetProperty("severity").GetString());

        var segments = await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/customer-segments?shop={shop}");
        Assert.Equal(await system.Scalar($"SELECT count(*) FROM transform.customer_segments WHERE shop_domain = '{shop}'"),
            segments.GetProperty("customers").GetInt64());
        Assert.True(segments.GetProperty("segments").GetArrayLength() >= 3, segments.ToString());

        var refunded = await system.Scalar($"SELECT min(order_id) FROM transform.order_refund WHERE shop_domain = '{shop}'");
        var order = await http.GetFromJsonAsync<JsonElement>($"/orders/{refunded}?shop={shop}");
        Assert.Equal(await system.Scalar($"SELECT sum(amount_minor) FROM transform.order_refund WHERE shop_domain = '{shop}' AND order_id = {refunded}"),
            order.GetProperty("refunds").EnumerateArray().Sum(r => r.GetProperty("amount_minor").GetInt64()));
        Assert.Equal(await system.Scalar($"SELECT count(*) FROM transform.order_fulfillment WHERE shop_domain = '{shop}' AND order_id = {refunded}"),
            order.GetProperty("fulfillments").GetArrayLength());
    }

    [Fact]
    public async Task A_token_without_the_customers_scope_skips_customers_only_and_the_run_ends_partial()
    {
        const string shop = RunningSystem.NoCustomersScopeShop;
        using var http = system.GatewayClient();
        var run = await system.WaitForRunToFinish(http, await system.StartSync(http, shop, ["orders", "customers", "products"]), seconds: 240);

        Assert.True(run.GetProperty("status").GetString() == "partial", $"run ended {run}\n{system.AllLogs()}");
        var outcomes = run.GetProperty("entities").EnumerateArray().ToDictionary(o => o.GetProperty("entity").GetString()!);
        Assert.Equal("skipped", outcomes["customers"].GetProperty("status").GetString());
        Assert.Contains("read_customers", outcomes["customers"].GetProperty("error").GetString());
        Assert.Equal("loaded", outcomes["orders"].GetProperty("status").GetString());
        Assert.Equal("loaded", outcomes["products"].GetProperty("status").GetString());
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM transform.customer WHERE shop_domain = '{shop}'"));
        Assert.True(await system.Scalar($"SELECT count(*) FROM transform.product WHERE shop_domain = '{shop}'") > 0);
        Assert.Equal("orders,products", await system.Query<string>(
            $"SELECT string_agg(entity, ',' ORDER BY entity) FROM ingest.shop_watermark WHERE shop_domain = '{shop}'"));
    }
}
