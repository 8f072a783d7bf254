using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>What a client may say when it starts a run: its shop however spelled, its own idempotency key, never the run's clock.</summary>
[Collection(SystemCollection.Name)]
public sealed class RunRequestTests(RunningSystem system)
{
    [Fact]
    public async Task A_clients_run_id_is_an_idempotency_key_its_shop_is_normalised_and_it_cannot_set_when_the_run_was_asked_for()
    {
        using var http = system.GatewayClient();
        var key = $"nightly-{Guid.NewGuid():N}";
        var spelled = $"  {RunningSystem.IdempotencyShop.ToUpperInvariant()} ";

        var first = await http.PostAsJsonAsync("/api/performance-metrics/sync", new { run_id = key, shop = spelled });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var accepted = await first.Content.ReadFromJsonAsync<JsonElement>();
        var runId = accepted.GetProperty("run_id").GetGuid();
        Assert.Equal((key, RunningSystem.IdempotencyShop), (accepted.GetProperty("idempotency_key").GetString(), accepted.GetProperty("shop").GetString()));

        var again = await (await http.PostAsJsonAsync("/api/performance-metrics/sync", new { run_id = key, shop = RunningSystem.IdempotencyShop }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(runId, again.GetProperty("run_id").GetGuid());

        // A key spelled as a run's id does not become that id (RunIdsTests: nor a scheduled run's).
        var chosen = Guid.NewGuid();
        var posing = await (await http.PostAsJsonAsync("/api/performance-metrics/sync",
            new { run_id = chosen.ToString(), shop = RunningSystem.IdempotencyShop })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(chosen, posing.GetProperty("run_id").GetGuid());

        var run = await system.WaitForRunToFinish(http, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(1L, await system.Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE correlation_id = '{runId}'"));
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE shop_domain <> '{RunningSystem.IdempotencyShop}' "
            + $"AND lower(shop_domain) = '{RunningSystem.IdempotencyShop}'"));
        var requestedAt = DateTimeOffset.Parse(run.GetProperty("requested_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(requestedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        await system.WaitForRunToFinish(http, posing.GetProperty("run_id").GetGuid());

        var backdated = await http.PostAsJsonAsync("/api/performance-metrics/sync",
            new { shop = RunningSystem.IdempotencyShop, requested_at = "2026-01-01T00:00:00Z" });
        await AssertNames(backdated, "requested_at");
        await AssertNames(await http.PostAsJsonAsync("/api/performance-metrics/sync",
            new { shop = RunningSystem.IdempotencyShop, run_id = new string('k', 129) }), "run_id");
        await AssertNames(await http.PostAsJsonAsync("/api/performance-metrics/sync",
            new { shop = RunningSystem.IdempotencyShop, run_id = "two words" }), "run_id");
        await AssertNames(await http.PostAsJsonAsync("/api/performance-metrics/sync", new { shop = "not-synced-here.myshopify.com" }), "shop");
    }

    private static async Task AssertNames(HttpResponseMessage response, string parameter)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
