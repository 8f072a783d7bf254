using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.Testing;
using Npgsql;

namespace GrowthOs.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<RunningSystem>
{
    public const string Name = "running system";
}

/// <summary>One sync through all five services on the real broker, database and object store, started at the gateway.</summary>
[Collection(SystemCollection.Name)]
public sealed class EndToEndSyncTests(RunningSystem system)
{
    private static readonly string[] ExpectedSteps = ["initiated", "requested", "polling", "downloading", "upserting", "transforming", "completed"];

    [Fact]
    public async Task A_sync_requested_at_the_gateway_completes_and_lands_every_order_in_the_database()
    {
        using var http = system.GatewayClient();

        var accepted = await http.PostAsJsonAsync("/api/performance-metrics/sync", new { initiator = "user" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid();

        var run = await WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");

        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(ExpectedSteps, steps.Select(s => s.GetProperty("step").GetString()));
        Assert.All(steps.SkipLast(1), s => Assert.Equal(JsonValueKind.String, s.GetProperty("ended_at").ValueKind));

        // The archive holds the raw file; the database holds exactly the orders and lines in it.
        var archiveKey = run.GetProperty("archive_key").GetString()!;
        var jsonl = await LocalInfrastructure.ReadObject(system.Bucket, archiveKey);
        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var orderLines = lines.Count(l => l.Contains("\"__typename\":\"Order\""));
        var itemLines = lines.Count(l => l.Contains("\"__typename\":\"LineItem\""));
        Assert.True(orderLines > 1000, $"the demo shop should yield over a thousand orders, got {orderLines}");

        var counts = run.GetProperty("counts");
        Assert.Equal(lines.Length, counts.GetProperty("archived_lines").GetInt64());
        Assert.Equal(orderLines, counts.GetProperty("orders_upserted").GetInt64());
        Assert.Equal(itemLines, counts.GetProperty("line_items_upserted").GetInt64());
        Assert.Equal(orderLines, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(itemLines, await Scalar("SELECT count(*) FROM transform.order_line_item"));

        // The saga instance is persisted, and the run is listed as completed.
        Assert.Equal(1, await Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE correlation_id = '{runId}' AND current_state = 'Completed'"));
        var list = await http.GetFromJsonAsync<JsonElement>("/api/ingest/runs?status=completed");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), item => item.GetProperty("run_id").GetGuid() == runId);

        // The watermark moved to the newest updatedAt fetched, not to the clock.
        var maxUpdatedAt = run.GetProperty("max_updated_at").GetDateTimeOffset();
        var watermark = await Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{RunningSystem.Shop}'");
        Assert.Equal(maxUpdatedAt.UtcDateTime, watermark);
    }

    [Fact]
    public async Task The_gateway_refuses_requests_without_a_valid_api_key_but_answers_health()
    {
        using var anonymous = system.GatewayClient(apiKey: null);
        var missing = await anonymous.GetAsync("/api/ingest/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        using var wrong = system.GatewayClient(apiKey: "not-the-key-not-the-key-not");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/ingest/runs")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_run_survives_the_ingest_saga_being_killed_while_it_waits_between_polls()
    {
        using var http = system.GatewayClient();
        var accepted = await http.PostAsJsonAsync("/api/performance-metrics/sync", new { initiator = "user" });
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid();
        await WaitForStatus(http, runId, "polling");

        await system.KillAndRestart("IngestSaga");

        var run = await WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.True(run.GetProperty("counts").GetProperty("poll_attempts").GetInt32() >= 1);
    }

    private async Task WaitForStatus(HttpClient http, Guid runId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync($"/api/ingest/runs/{runId}");
            if (response.StatusCode == HttpStatusCode.OK
                && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == status) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {runId} never reached {status}.\n{system.AllLogs()}");
    }

    private async Task<JsonElement> WaitForRunToFinish(HttpClient http, Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync($"/api/ingest/runs/{runId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                run = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (run.GetProperty("status").GetString() is "completed" or "failed") return run;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"Run {runId} did not finish within 120 s; last seen: {run}\n{system.AllLogs()}");
    }

    private async Task<long> Scalar(string sql) => Convert.ToInt64(await Query<object>(sql));

    private async Task<T> Query<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(system.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
