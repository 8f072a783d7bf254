using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The ETL monitoring through the gateway, on two shops whose executions are written out here: each pipeline's last
/// execution and the hours since its success, the failures of the last 24 hours, the slow executions, the milliseconds
/// per row by day and the pipelines missing today, for one shop and never another's.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EtlMonitoringTests(RunningSystem system)
{
    private const string Shop = "etl-monitored-shop.myshopify.com";
    private const string Other = "etl-other-shop.myshopify.com";

    [Fact]
    public async Task A_shops_pipelines_failures_slow_executions_and_cost_per_row_are_its_own_and_missing_pipelines_are_named()
    {
        var now = DateTimeOffset.UtcNow;
        string At(TimeSpan ago) => (now - ago).ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        string Row(string pipeline, string shop, string status, long rows, long milliseconds, string? error, TimeSpan ago) =>
            $"('{pipeline}', NULL, '{shop}', '2026-01-01', '2026-01-31', '{status}', {rows}, {milliseconds}, "
            + $"{(error is null ? "NULL" : $"'{error.Replace("'", "''", StringComparison.Ordinal)}'")}, '{At(ago)}', '{At(ago)}')";
        await system.Query<object>($"""
            DELETE FROM transform.etl_execution_log WHERE shop_domain IN ('{Shop}', '{Other}');
            INSERT INTO transform.etl_execution_log
                (pipeline, run_id, shop_domain, date_from, date_to, status, rows, milliseconds, error, started_at, finished_at)
            VALUES {string.Join(",\n", [
                Row("sales_pulse", Shop, "succeeded", 500, 500, null, TimeSpan.FromHours(25)),
                Row("sales_pulse", Shop, "succeeded", 1000, 2000, null, TimeSpan.Zero),
                Row("star_schema", Shop, "succeeded", 100, 12000, null, TimeSpan.FromHours(30)),
                Row("star_schema", Shop, "failed", 0, 300, "deadlock detected", TimeSpan.FromHours(2)),
                Row("star_schema", Shop, "failed", 0, 100, "too old to list", TimeSpan.FromHours(26)),
                Row("sales_pulse", Other, "failed", 0, 60000, "the other shop's error", TimeSpan.FromHours(1))])};
            """);
        using var http = system.GatewayClient(RunningSystem.ViewerKey);

        var status = await http.GetFromJsonAsync<JsonElement>($"/api/etl/status?shop={Shop}");

        Assert.Equal(Shop, status.GetProperty("shop").GetString());
        var pipelines = status.GetProperty("pipelines").EnumerateArray().ToDictionary(p => p.GetProperty("pipeline").GetString()!);
        Assert.Equal(["sales_pulse", "star_schema"], pipelines.Keys.Order());
        var pulse = pipelines["sales_pulse"];
        Assert.Equal(("succeeded", 1000, 2000, now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (pulse.GetProperty("last_status").GetString(), pulse.GetProperty("last_rows").GetInt64(), pulse.GetProperty("last_milliseconds").GetInt64(),
                pulse.GetProperty("last_execution_date").GetString()));
        // 2,500 ms over 1,500 rows this week.
        Assert.Equal(1.6667m, pulse.GetProperty("ms_per_row_7d").GetDecimal());
        var star = pipelines["star_schema"];
        Assert.Equal(("failed", "deadlock detected"), (star.GetProperty("last_status").GetString(), star.GetProperty("last_error").GetString()));
        Assert.InRange(star.GetProperty("hours_since_success").GetDouble(), 29.9, 30.5);

        var failure = Assert.Single(status.GetProperty("failures_24h").EnumerateArray());
        Assert.Equal(("star_schema", "deadlock detected"), (failure.GetProperty("pipeline").GetString(), failure.GetProperty("error").GetString()));
        Assert.Equal(10_000, status.GetProperty("slow_after_ms").GetInt64());
        var slow = Assert.Single(status.GetProperty("slow_executions").EnumerateArray());
        Assert.Equal(("star_schema", 12000), (slow.GetProperty("pipeline").GetString(), slow.GetProperty("milliseconds").GetInt64()));

        // Per UTC day: the execution of now, 2 ms a row; that of 25 hours ago, 1 ms a row (30 hours ago, 120 ms a row, for star_schema).
        var days = status.GetProperty("ms_per_row_by_day").EnumerateArray()
            .Select(d => (d.GetProperty("pipeline").GetString(), d.GetProperty("day").GetString(), d.GetProperty("ms_per_row").GetDecimal())).ToList();
        string Day(TimeSpan ago) => (now - ago).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var expected = new List<(string?, string?, decimal)> { ("sales_pulse", Day(TimeSpan.FromHours(25)), 1m), ("sales_pulse", Day(TimeSpan.Zero), 2m) };
        expected.Add(("star_schema", Day(TimeSpan.FromHours(30)), 120m));
        Assert.Equal(expected, days);

        // Every expected pipeline but sales_pulse is missing today; star_schema's says it last failed, and why.
        var alerts = status.GetProperty("alerts").EnumerateArray().ToDictionary(a => a.GetProperty("pipeline").GetString()!);
        Assert.Equal(["customer_segmentation", "data_quality", "inventory_snapshot", "measurements", "star_schema", "usage_daily"], alerts.Keys.Order());
        Assert.Contains("deadlock detected", alerts["star_schema"].GetProperty("message").GetString());
        Assert.Contains("never succeeded", alerts["usage_daily"].GetProperty("message").GetString());
        Assert.All(alerts.Values, a => Assert.Equal(Shop, a.GetProperty("shop").GetString()));
        Assert.DoesNotContain("the other shop's error", status.GetRawText());

        var faster = await http.GetFromJsonAsync<JsonElement>($"/api/etl/status?shop={Shop}&slow_ms=1500");
        Assert.Equal(["sales_pulse", "star_schema"],
            faster.GetProperty("slow_executions").EnumerateArray().Select(e => e.GetProperty("pipeline").GetString()).Order());
        var bad = await http.GetAsync($"/api/etl/status?shop={Shop}&slow_ms=soon");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("slow_ms", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/etl/status?shop={Shop}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync("/api/etl/status")).StatusCode);
    }
}
