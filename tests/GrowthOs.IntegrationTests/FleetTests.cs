using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// A fleet: fifty shops connected through the API without a restart, each scheduled on its own cron read on its own
/// clocks and synced by it; a schedule that comes due while its shop's run is under way waits for it, so no shop ever
/// has two runs at once.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class FleetTests(RunningSystem system)
{
    [Fact]
    public async Task Fifty_shops_connected_through_the_api_are_each_synced_by_their_own_schedule_and_never_twice_at_once()
    {
        // The system under test runs without schedules (a daily sync firing mid-test would disturb other tests): this test turns
        // them on, with the settings' shops' daily syncs twelve hours away, and off again after.
        var away = $"0 {(DateTime.UtcNow.Hour + 12) % 24} * * *";
        await system.KillAndRestart("IngestSaga", new Dictionary<string, string>
        {
            ["Schedules__Enabled"] = "true", ["Schedules__ScanIntervalMilliseconds"] = "500", ["Schedules__DefaultCron"] = away,
            ["MarketingSync__DefaultCron"] = away,
        });
        try
        {
            await Fleet();
        }
        finally
        {
            await system.KillAndRestart("IngestSaga");
        }
    }

    private async Task Fleet()
    {
        using var http = system.GatewayClient();
        var fleet = RunningSystem.FleetShops;
        var since = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7).ToString("yyyy-MM-dd");
        using (var connecting = new SemaphoreSlim(8))
        {
            var connected = await Task.WhenAll(fleet.Select(async shop =>
            {
                await connecting.WaitAsync();
                try
                {
                    return await http.PostAsJsonAsync("/api/connections",
                        new { shop, access_token = RunningSystem.ConnectedShopToken, entities = new[] { "orders" }, history_start = since });
                }
                finally
                {
                    connecting.Release();
                }
            }));
            Assert.All(connected, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        }

        // Every shop is scheduled on its own clocks within seconds: no restart, no setting.
        var names = string.Join(", ", fleet.Select(s => $"'{s}'"));
        await system.WaitForScalar($"SELECT count(*) FROM ingest.sync_schedule WHERE job = 'shopify' AND shop_domain IN ({names})", fleet.Length,
            "a schedule for each of the fifty shops");
        // Each on its own clocks, at its own minute of the default hours (spread across shops, so a fleet's syncs do not all start at once).
        Assert.Equal(7L, await system.Scalar($"SELECT count(DISTINCT time_zone) FROM ingest.sync_schedule WHERE job = 'shopify' AND shop_domain IN ({names})"));
        Assert.True(await system.Scalar($"SELECT count(DISTINCT cron) FROM ingest.sync_schedule WHERE job = 'shopify' AND shop_domain IN ({names})") > 40);
        // Only the fleet's schedules may come due while this test runs.
        await system.Scalar($"UPDATE ingest.sync_schedule SET next_run_at = now() + interval '1 day' WHERE shop_domain NOT IN ({names}) RETURNING 1");
        var schedules = (await http.GetFromJsonAsync<JsonElement>("/api/ingest/schedules")).GetProperty("schedules").EnumerateArray()
            .Where(s => fleet.Contains(s.GetProperty("shop").GetString())).ToList();
        Assert.Equal(fleet.Length, schedules.Count);

        // Their next runs come due at once (the clock moved on), then again while their first runs are under way.
        await system.Scalar(
            $"UPDATE ingest.sync_schedule SET next_run_at = now() - interval '1 second' WHERE job = 'shopify' AND shop_domain IN ({names}) RETURNING 1");
        await system.WaitForScalar(
            $"SELECT count(DISTINCT shop_domain) FROM ingest.bulk_sync_state WHERE initiator = 'cron' AND shop_domain IN ({names})", fleet.Length,
            "a scheduled run of each shop");
        await system.Scalar(
            $"UPDATE ingest.sync_schedule SET next_run_at = now() - interval '1 second' WHERE job = 'shopify' AND shop_domain IN ({names}) RETURNING 1");
        await system.WaitForScalar($"""
            SELECT count(*) FROM (SELECT shop_domain FROM ingest.bulk_sync_state
                                  WHERE initiator = 'cron' AND current_state = 'Completed' AND shop_domain IN ({names})
                                  GROUP BY shop_domain HAVING count(*) >= 2) twice
            """, fleet.Length, "two completed scheduled runs of each shop", seconds: 300);

        // Each shop's runs follow each other: the second started once the first had ended.
        Assert.Equal(0L, await system.Scalar($"""
            WITH span AS (
                SELECT shop_domain, correlation_id,
                       (SELECT min((x->>'startedAt')::timestamptz) FROM jsonb_array_elements(steps) x) AS started,
                       (SELECT max((x->>'endedAt')::timestamptz) FROM jsonb_array_elements(steps) x) AS ended
                FROM ingest.bulk_sync_state WHERE shop_domain IN ({names}))
            SELECT count(*) FROM span a JOIN span b ON a.shop_domain = b.shop_domain AND a.correlation_id < b.correlation_id
            WHERE a.started < b.ended AND b.started < a.ended
            """));
        Assert.Equal(fleet.Length, await system.Scalar($"SELECT count(DISTINCT shop_domain) FROM transform.order_header WHERE shop_domain IN ({names})"));
    }
}
