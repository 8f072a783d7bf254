using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>The dashboard read API through the gateway, over a synced Sandbox shop.</summary>
[Collection(SystemCollection.Name)]
public sealed class ReadApiTests(RunningSystem system)
{
    private const string Shop = RunningSystem.ReadApiShop;

    private async Task<HttpClient> SyncedClient()
    {
        var http = system.GatewayClient();
        var run = await system.WaitForRunToFinish(http, await system.StartSync(http, Shop));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        return http;
    }

    [Fact]
    public async Task Orders_are_listed_newest_first_by_page_with_their_total()
    {
        using var http = await SyncedClient();
        var page = await http.GetFromJsonAsync<JsonElement>($"/orders?shop={Shop}&pageSize=7&page=2");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, items.Count);
        Assert.Equal(await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{Shop}'"), page.GetProperty("total").GetInt64());
        var created = items.Select(i => i.GetProperty("created_at").GetDateTimeOffset()).ToList();
        Assert.Equal(created.OrderByDescending(c => c), created);
        Assert.All(items, i => Assert.Equal(JsonValueKind.Number, i.GetProperty("total_minor").ValueKind));
    }

    [Fact]
    public async Task Orders_are_paged_by_keyset_through_the_whole_list_each_once_and_a_deep_page_number_is_refused()
    {
        using var http = await SyncedClient();
        var first = await http.GetFromJsonAsync<JsonElement>($"/orders?shop={Shop}&pageSize=200");
        var total = first.GetProperty("total").GetInt64();
        var seen = first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("order_id").GetInt64()).ToList();
        var after = first.GetProperty("next_after").GetString();
        while (after is not null)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/orders?shop={Shop}&pageSize=200&after={after}");
            Assert.Equal(JsonValueKind.Null, page.GetProperty("total").ValueKind);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("order_id").GetInt64()));
            after = page.GetProperty("next_after").ValueKind == JsonValueKind.String ? page.GetProperty("next_after").GetString() : null;
        }
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var deep = await http.GetAsync($"/orders?shop={Shop}&pageSize=200&page=52");
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Equal("page", (await deep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        var forged = await http.GetAsync($"/orders?shop={Shop}&after=bm90IGEgY3Vyc29y");
        Assert.Equal("after", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Orders_are_filtered_by_date_range_and_status()
    {
        using var http = await SyncedClient();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10);
        var page = await http.GetFromJsonAsync<JsonElement>($"/orders?shop={Shop}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}&pageSize=200");
        Assert.All(page.GetProperty("items").EnumerateArray(),
            i => Assert.Equal(day, DateOnly.FromDateTime(i.GetProperty("created_at").GetDateTimeOffset().UtcDateTime)));
        Assert.Equal(await system.Scalar(
                $"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{Shop}' AND (created_at AT TIME ZONE 'UTC')::date = '{day:yyyy-MM-dd}'"),
            page.GetProperty("total").GetInt64());

        var cancelled = await http.GetFromJsonAsync<JsonElement>($"/orders?shop={Shop}&status=cancelled&pageSize=200");
        Assert.All(cancelled.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.String, i.GetProperty("cancelled_at").ValueKind));
    }

    [Fact]
    public async Task One_order_is_read_with_its_line_items_by_id_or_gid()
    {
        using var http = await SyncedClient();
        var orderId = await system.Scalar($"SELECT max(order_id) FROM transform.order_header WHERE shop_domain = '{Shop}'");

        var order = await http.GetFromJsonAsync<JsonElement>($"/orders/{orderId}?shop={Shop}");
        var byGid = await http.GetFromJsonAsync<JsonElement>($"/orders/{Uri.EscapeDataString($"gid://shopify/Order/{orderId}")}?shop={Shop}");

        Assert.Equal(orderId, order.GetProperty("order_id").GetInt64());
        Assert.Equal(order.ToString(), byGid.ToString());
        Assert.Equal(await system.Scalar($"SELECT count(*) FROM transform.order_line_item WHERE shop_domain = '{Shop}' AND order_id = {orderId}"),
            order.GetProperty("line_items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/orders/1?shop={Shop}")).StatusCode);
    }

    [Theory]
    [InlineData("/orders?from=2026-13-01", "from")]
    [InlineData("/orders?to=yesterday", "to")]
    [InlineData("/orders?from=2026-02-01&to=2026-01-01", "from")]
    [InlineData("/orders?page=0", "page")]
    [InlineData("/orders?pageSize=201", "pageSize")]
    [InlineData("/orders?status=shipped", "status")]
    [InlineData("/orders/not-a-number", "id")]
    [InlineData("/api/dashboard/sales-pulse?days=30", "shop")]
    [InlineData("/api/dashboard/sales-pulse?shop=a.myshopify.com&days=0", "days")]
    [InlineData("/api/dashboard/sales-pulse?shop=a.myshopify.com&days=thirty", "days")]
    [InlineData("/api/dashboard/inventory-alerts", "shop")]
    [InlineData("/api/dashboard/inventory-alerts?shop=a.myshopify.com&status=sold_out", "status")]
    [InlineData("/api/dashboard/customer-segments", "shop")]
    [InlineData("/api/ingest/runs?pageSize=0", "pageSize")]
    [InlineData("/api/ingest/runs?pageSize=ten", "pageSize")]
    [InlineData("/api/ingest/runs?page=-1", "page")]
    [InlineData("/api/ingest/runs?status=sleeping", "status")]
    [InlineData("/api/etl/data-quality", "shop")]
    public async Task A_bad_parameter_gets_400_with_a_problem_naming_it(string path, string parameter)
    {
        using var http = system.GatewayClient();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("/api/etl/run?pipeline=bogus&shop=a.myshopify.com", "pipeline")]
    [InlineData("/api/etl/run?pipeline=all", "shop")]
    [InlineData("/api/etl/run?shop=a.myshopify.com&date=2026-02-30", "date")]
    [InlineData("/api/etl/run?shop=a.myshopify.com&from=2026-03-01&to=2026-02-01", "from")]
    [InlineData("/api/etl/run?shop=a.myshopify.com&from=2024-01-01&to=2026-02-01", "to")]
    [InlineData("/api/etl/run?shop=a.myshopify.com&date=2026-01-01&from=2026-01-01", "date")]
    public async Task A_bad_pipeline_run_gets_400_naming_the_parameter(string path, string parameter)
    {
        using var http = system.GatewayClient();
        var response = await http.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Every_pipeline_runs_on_demand_for_a_range_of_days_and_is_logged()
    {
        using var http = await SyncedClient();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var response = await http.PostAsync($"/api/etl/run?pipeline=all&shop={Shop}&from={yesterday.AddDays(-2):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}", null);
        // Queued, not done inside the request: answered 202 with the run to follow.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        string[] all =
            ["sales_pulse", "star_schema", "inventory_snapshot", "customer_segmentation", "usage_daily", "measurements", "rolling_30d", "data_quality"];
        Assert.Equal(all, accepted.GetProperty("pipelines").EnumerateArray().Select(p => p.GetString()));
        var statusUrl = accepted.GetProperty("status_url").GetString()!;
        Assert.Equal(statusUrl, response.Headers.Location?.OriginalString);

        // Followed until its last pipeline (the checks) is logged; the day pipelines log a row for each of the 3 days.
        var executions = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!executions.Any(e => e.GetProperty("pipeline").GetString() == "data_quality"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the run logged {executions.Count} executions within 60 s, not its data_quality");
            await Task.Delay(250);
            executions = (await http.GetFromJsonAsync<JsonElement>(statusUrl)).GetProperty("executions").EnumerateArray().ToList();
        }
        Assert.Equal(3, executions.Count(e => e.GetProperty("pipeline").GetString() == "inventory_snapshot"));
        Assert.All(executions, e => Assert.Equal("succeeded", e.GetProperty("status").GetString()));
        var pipelines = executions.GroupBy(e => e.GetProperty("pipeline").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.GetProperty("rows").GetInt64()));
        Assert.Equal(all, pipelines.Keys);
        Assert.Equal(3, pipelines["sales_pulse"]);
        Assert.True(pipelines["rolling_30d"] > 0);
        Assert.Equal(3L, await system.Scalar($"""
            SELECT count(*) FROM transform.integration_usage_daily
            WHERE shop_domain = '{Shop}' AND date BETWEEN '{yesterday.AddDays(-2):yyyy-MM-dd}' AND '{yesterday:yyyy-MM-dd}'
            """));
        Assert.True(await system.Scalar("SELECT count(*) FROM transform.etl_execution_log WHERE pipeline = 'rolling_30d' AND status = 'succeeded'") > 0);
    }

    [Fact]
    public async Task An_operator_gives_sold_variants_costs_and_the_profit_counts_them_from_their_day_on()
    {
        using var http = await SyncedClient();
        var currency = (await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/sales-pulse?shop={Shop}&days=30"))
            .GetProperty("currency_code").GetString();
        // The shop's two best-selling variants of the last 30 days (its inventory, hence Shopify's costs, is not synced here).
        var sold = await system.Scalar($"""
            SELECT l.variant_id FROM transform.order_line_item l JOIN transform.order_header o USING (shop_domain, order_id)
            WHERE l.shop_domain = '{Shop}' AND l.variant_id IS NOT NULL AND o.created_at > now() - interval '30 days'
            GROUP BY l.variant_id ORDER BY sum(l.quantity) DESC, l.variant_id LIMIT 1
            """);
        var before = await Profit(http);
        var from = DateOnly.Parse(before.GetProperty("from").GetString()!);

        // One by the API, then the rest of the file's lines: a CSV whose one bad line keeps nothing, then the good file.
        var put = await http.PutAsJsonAsync($"/api/costs/variants/{sold}?shop={Shop}",
            new { unit_cost_minor = 250, currency_code = currency, effective_from = from.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var written = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, written.GetProperty("written").GetInt32());
        var bad = await http.PostAsync($"/api/costs/variants?shop={Shop}",
            new StringContent($"variant_id,unit_cost,effective_from\n{sold},1.00,{from:yyyy-MM-dd}\n{sold},one dollar,{from:yyyy-MM-dd}\n",
                System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("line 3: unit_cost 'one dollar' is not an amount",
            (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(1L, await system.Scalar($"SELECT count(*) FROM transform.variant_cost WHERE shop_domain = '{Shop}' AND source = 'override'"));
        var unknown = await http.PutAsJsonAsync($"/api/costs/variants/999999999?shop={Shop}",
            new { unit_cost_minor = 250, currency_code = currency, effective_from = from.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A viewer reads the costs and may not write them; a key limited to another shop reaches neither.
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
        var listed = await viewer.GetFromJsonAsync<JsonElement>($"/api/costs/variants?shop={Shop}&variant={sold}");
        var cost = Assert.Single(listed.GetProperty("costs").EnumerateArray());
        Assert.Equal(("override", 250L, "tests"), (cost.GetProperty("source").GetString(), cost.GetProperty("unit_cost_minor").GetInt64(),
            cost.GetProperty("recorded_by").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/costs/variants/{sold}?shop={Shop}")).StatusCode);
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/costs/variants?shop={Shop}")).StatusCode);

        // The refresh the write queued counts the variant's units at 2.50 from that day on.
        var statusUrl = written.GetProperty("status_url").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetFromJsonAsync<JsonElement>(statusUrl)).GetProperty("executions").GetArrayLength() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the refresh the cost queued never ran");
            await Task.Delay(250);
        }
        var units = await system.Scalar($"""
            SELECT COALESCE(sum(l.current_quantity), 0) FROM transform.order_line_item l JOIN transform.order_header o USING (shop_domain, order_id)
            WHERE l.shop_domain = '{Shop}' AND l.variant_id = {sold} AND NOT o.is_test AND o.cancelled_at IS NULL
              AND (o.created_at AT TIME ZONE 'UTC')::date BETWEEN '{from:yyyy-MM-dd}' AND '{before.GetProperty("to").GetString()}'
            """);
        var after = (await Profit(http)).GetProperty("current");
        Assert.True(units > 0, "the variant sold nothing in the period");
        Assert.Equal(250 * units, after.GetProperty("cogs_minor").GetInt64());
        Assert.True(after.GetProperty("cogs_coverage").GetDecimal() > 0);
        Assert.Equal(after.GetProperty("net_sales_minor").GetInt64() - 250 * units, after.GetProperty("gross_profit_minor").GetInt64());

        // Removed again: the day's cost of goods is back to what Shopify's costs say (none here).
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/api/costs/variants/{sold}?shop={Shop}")).StatusCode);
    }

    [Fact]
    public async Task An_operators_cost_rules_take_the_profit_down_to_contribution_margin_and_net_profit_at_once()
    {
        using var http = await SyncedClient();
        var before = await Profit(http);
        var currency = before.GetProperty("currency_code").GetString();
        var (from, to) = (before.GetProperty("from").GetString(), before.GetProperty("to").GetString());
        var (orders, shopifyFees) = (await system.Scalar($"""
            SELECT count(*) FROM transform.order_header
            WHERE shop_domain = '{Shop}' AND NOT is_test AND cancelled_at IS NULL AND (created_at AT TIME ZONE 'UTC')::date BETWEEN '{from}' AND '{to}'
            """), await system.Scalar($"""
            SELECT COALESCE(sum(payment_fees_minor), 0) FROM transform.order_header
            WHERE shop_domain = '{Shop}' AND NOT is_test AND cancelled_at IS NULL AND (created_at AT TIME ZONE 'UTC')::date BETWEEN '{from}' AND '{to}'
            """));
        // The Sandbox's orders carry Shopify Payments' fees on their transactions, read through the bulk query.
        Assert.True(shopifyFees > 0, "no order carried payment fees");
        Assert.Equal(shopifyFees, before.GetProperty("current").GetProperty("payment_fees_from_shopify_minor").GetInt64());

        // A rule of an unknown kind is refused by name; a viewer may read the rules and not write them; a key limited to
        // another shop reaches neither.
        var wrong = await http.PostAsJsonAsync($"/api/costs/rules?shop={Shop}", new { kind = "shipping", currency_code = currency, effective_from = from });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("kind", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        var added = await http.PostAsJsonAsync($"/api/costs/rules?shop={Shop}",
            new { kind = "shipping_per_order", name = "Carrier", currency_code = currency, amount_minor = 450, effective_from = from });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var ruleId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule_id").GetInt64();
        var rent = await http.PostAsJsonAsync($"/api/costs/rules?shop={Shop}",
            new { kind = "fixed_monthly", name = "Rent", currency_code = currency, amount_minor = 300_000, effective_from = from });
        Assert.Equal(HttpStatusCode.Created, rent.StatusCode);
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
        Assert.Equal(2, (await viewer.GetFromJsonAsync<JsonElement>($"/api/costs/rules?shop={Shop}")).GetProperty("rules").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/costs/rules/{ruleId}?shop={Shop}")).StatusCode);
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/costs/rules?shop={Shop}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.DeleteAsync($"/api/costs/rules/{ruleId}?shop={RunningSystem.KpiShop}")).StatusCode);

        try
        {
            // Applied when read, with no refresh: 4.50 for each counted order, the rent spread over the period's days.
            var now = (await Profit(http)).GetProperty("current");
            long Figure(string name) => now.GetProperty(name).GetInt64();
            Assert.Equal(450 * orders, Figure("shipping_cost_minor"));
            Assert.Equal(Figure("gross_profit_minor") - Figure("shipping_cost_minor") - Figure("payment_fees_minor") - Figure("ad_spend_minor"),
                Figure("contribution_margin_minor"));
            Assert.True(Figure("fixed_expenses_minor") is > 0 and <= 2 * 300_000, $"fixed expenses {Figure("fixed_expenses_minor")}");
            Assert.Equal(Figure("contribution_margin_minor") - Figure("fixed_expenses_minor"), Figure("net_profit_minor"));

            // Changed, the rule applies as changed.
            var changed = await http.PutAsJsonAsync($"/api/costs/rules/{ruleId}?shop={Shop}",
                new { kind = "shipping_per_order", name = "Carrier", currency_code = currency, amount_minor = 500, effective_from = from });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal(500 * orders, (await Profit(http)).GetProperty("current").GetProperty("shipping_cost_minor").GetInt64());
        }
        finally
        {
            foreach (var rule in (await http.GetFromJsonAsync<JsonElement>($"/api/costs/rules?shop={Shop}")).GetProperty("rules").EnumerateArray())
                Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/api/costs/rules/{rule.GetProperty("rule_id").GetInt64()}?shop={Shop}")).StatusCode);
        }
        Assert.Equal(0, (await Profit(http)).GetProperty("current").GetProperty("shipping_cost_minor").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/costs/rules/{ruleId}?shop={Shop}")).StatusCode);
    }

    [Fact]
    public async Task The_cohorts_hold_every_customer_whose_first_order_fell_in_the_period_once()
    {
        using var http = await SyncedClient();
        var report = await http.GetFromJsonAsync<JsonElement>($"/api/cohorts?shop={Shop}&days=120");
        var (from, to) = (report.GetProperty("from").GetString(), report.GetProperty("to").GetString());
        Assert.EndsWith("-01", from);
        var cohorts = report.GetProperty("cohorts").EnumerateArray().ToList();
        var newcomers = await system.Scalar($"""
            SELECT count(*) FROM (
                SELECT customer_id, min(created_at) AS first FROM transform.order_header
                WHERE shop_domain = '{Shop}' AND customer_id IS NOT NULL AND NOT is_test AND cancelled_at IS NULL GROUP BY customer_id) f
            WHERE (f.first AT TIME ZONE 'UTC')::date BETWEEN '{from}' AND '{to}'
            """);
        Assert.True(newcomers > 0, "no customer's first order in the period");
        Assert.Equal(newcomers, cohorts.Sum(c => c.GetProperty("customers").GetInt64()));
        // Split by channel, the same customers; a month not yet ended on the shop's today is blank, and an ended one is not;
        // a cohort younger than a year is maturing.
        var byChannel = await http.GetFromJsonAsync<JsonElement>($"/api/cohorts?shop={Shop}&days=120&by=channel");
        Assert.Equal(newcomers, byChannel.GetProperty("cohorts").EnumerateArray().Sum(c => c.GetProperty("customers").GetInt64()));
        var today = DateOnly.Parse(report.GetProperty("today").GetString()!);
        foreach (var cohort in cohorts)
        {
            var month = DateOnly.Parse(cohort.GetProperty("month").GetString()!);
            Assert.True(cohort.GetProperty("maturing").GetBoolean());
            foreach (var cell in cohort.GetProperty("months").EnumerateArray())
                Assert.Equal(month.AddMonths(cell.GetProperty("index").GetInt32() + 1) > today,
                    cell.GetProperty("revenue_per_customer_minor").ValueKind == JsonValueKind.Null);
        }

        var wrong = await http.GetAsync($"/api/cohorts?shop={Shop}&by=week");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("by", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/cohorts?shop={Shop}")).StatusCode);
    }

    private async Task<JsonElement> Profit(HttpClient http) => await http.GetFromJsonAsync<JsonElement>($"/api/profit?shop={Shop}&days=30");

    [Fact]
    public async Task Every_data_quality_check_passed_for_a_synced_shop()
    {
        using var http = await SyncedClient();
        var result = await http.GetFromJsonAsync<JsonElement>($"/api/etl/data-quality?shop={Shop}");
        var checks = result.GetProperty("checks").EnumerateArray().ToList();
        Assert.True(checks.Count >= 10, $"expected at least ten checks, got {checks.Count}");
        Assert.All(checks, c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
        Assert.All(checks, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("description").GetString())));
    }

    [Fact]
    public async Task The_etl_status_shows_each_pipelines_last_success_and_no_alert_once_it_ran_today()
    {
        using var http = await SyncedClient();
        var status = await http.GetFromJsonAsync<JsonElement>($"/api/etl/status?shop={Shop}");

        Assert.All(status.GetProperty("pipelines").EnumerateArray(), p => Assert.Equal(Shop, p.GetProperty("shop").GetString()));
        foreach (var pipeline in new[] { "sales_pulse", "star_schema", "inventory_snapshot", "customer_segmentation", "usage_daily", "measurements",
            "data_quality" })
        {
            var row = status.GetProperty("pipelines").EnumerateArray().Single(p => p.GetProperty("pipeline").GetString() == pipeline);
            Assert.Equal("succeeded", row.GetProperty("last_status").GetString());
            Assert.True(row.GetProperty("hours_since_success").GetDouble() < 1);
        }
        Assert.Empty(status.GetProperty("alerts").EnumerateArray());
        Assert.True(
            await system.Scalar("SELECT count(*) FROM transform.etl_execution_log WHERE pipeline = 'sales_pulse' AND rows > 0 AND status = 'succeeded'") > 0);
    }
}
