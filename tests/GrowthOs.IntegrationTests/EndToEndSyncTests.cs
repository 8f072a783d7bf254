using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GrowthOs.Testing;

// A running system takes the machine's cores while it works: two of them (the shared one and a broker test class's own)
// never run at once, and nothing else runs beside either.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

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

        var accepted = await http.PostAsJsonAsync("/api/performance-metrics/sync", new { initiator = "user", shop = RunningSystem.Shop });
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
        Assert.Equal(orderLines, await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{RunningSystem.Shop}'"));
        Assert.Equal(itemLines, await Scalar($"SELECT count(*) FROM transform.order_line_item WHERE shop_domain = '{RunningSystem.Shop}'"));

        // The saga instance is persisted, and the run is listed as completed.
        Assert.Equal(1, await Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE correlation_id = '{runId}' AND current_state = 'Completed'"));
        var list = await http.GetFromJsonAsync<JsonElement>("/api/ingest/runs?status=completed");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), item => item.GetProperty("run_id").GetGuid() == runId);

        // The watermark moved to the newest updatedAt fetched, not to the clock.
        var maxUpdatedAt = run.GetProperty("max_updated_at").GetDateTimeOffset();
        var watermark = await Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{RunningSystem.Shop}'");
        Assert.Equal(maxUpdatedAt.UtcDateTime, watermark);

        // Every step change was appended to the run's telemetry JSONL in the object store (as the run's events reach the archiver).
        var telemetry = await system.WaitForTelemetry(runId, steps[0].GetProperty("started_at").GetDateTimeOffset(), "completed");
        Assert.Equal(ExpectedSteps, telemetry.Select(t => t.GetProperty("step").GetString()));
        Assert.All(telemetry, t => Assert.Equal(runId, t.GetProperty("run_id").GetGuid()));
        Assert.Equal("succeeded", telemetry[^1].GetProperty("status").GetString());
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
    public async Task A_jsonl_sent_for_replay_is_archived_then_upserted_without_calling_shopify_and_leaves_the_watermark()
    {
        using var http = system.GatewayClient();
        var jsonl = string.Join('\n',
            """{"__typename":"Order","id":"gid://shopify/Order/77001","name":"#77001","createdAt":"2026-10-01T10:00:00Z","updatedAt":"2026-10-01"""
            + """T10:05:00Z","test":false,"currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"42.10","currencyCode":"USD"},"presentmentMoney":"""
            + """{"amount":"42.10","currencyCode":"USD"}}}""",
            """{"__typename":"LineItem","id":"gid://shopify/LineItem/88001","title":"Pro Saw","quantity":1,"currentQuantity":1,"originalUnitPriceSet":"""
            + """{"shopMoney":{"amount":"42.10","currencyCode":"USD"}},"__parentId":"gid://shopify/Order/77001"}""");
        var accepted = await http.PostAsync($"/api/ingest/replay?shop={RunningSystem.ReplayShop}", NdJson(jsonl));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var run = await WaitForRunToFinish(http, body.GetProperty("run_id").GetGuid());

        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.Equal("REPLAY", run.GetProperty("job_type").GetString());
        Assert.Equal(["initiated", "upserting", "transforming", "completed"],
            run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(jsonl, await LocalInfrastructure.ReadObject(system.Bucket, body.GetProperty("archive_key").GetString()!));
        Assert.Equal(4210L,
            await Scalar($"SELECT total_minor FROM transform.order_header WHERE shop_domain = '{RunningSystem.ReplayShop}' AND order_id = 77001"));
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.shop_watermark WHERE shop_domain = '{RunningSystem.ReplayShop}'"));

        // The archived file replays again by its key, and leaves no duplicate.
        var again = await http.PostAsJsonAsync($"/api/ingest/replay?shop={RunningSystem.ReplayShop}",
            new { archiveKey = body.GetProperty("archive_key").GetString() });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await WaitForRunToFinish(http, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid());
        Assert.Equal("completed", second.GetProperty("status").GetString());
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{RunningSystem.ReplayShop}'"));
    }

    [Fact]
    public async Task An_uploaded_files_personal_data_is_hashed_before_the_archive_and_a_record_dated_in_the_future_is_rejected_with_its_reason()
    {
        using var http = system.GatewayClient();
        var shop = RunningSystem.UploadShop;
        var jsonl = string.Join('\n',
            """{"__typename":"Order","id":"gid://shopify/Order/66001","name":"#66001","email":"Ada.Lovelace@Example.com","createdAt":"2026-10-02"""
            + """T10:00:00Z","updatedAt":"2026-10-02T10:05:00Z","test":false,"currencyCode":"USD","customer":"""
            + """{"id":"gid://shopify/Customer/660","firstName":"Ada","lastName":"Lovelace"},"shippingAddress":"""
            + """{"address1":"12 Analytical Row","city":"London"},"totalPriceSet":{"shopMoney":{"amount":"12.00","currencyCode":"USD"}}}""",
            """{"__typename":"Order","id":"gid://shopify/Order/66002","name":"#66002","createdAt":"2099-01-01T00:00:00Z","updatedAt":"2099-01-01"""
            + """T00:00:00Z","test":false,"currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"5.00","currencyCode":"USD"}}}""",
            """{"__typename":"LineItem","id":"gid://shopify/LineItem/67002","title":"Pro Saw","quantity":1,"currentQuantity":1,"originalUnitPriceSet":"""
            + """{"shopMoney":{"amount":"5.00","currencyCode":"USD"}},"__parentId":"gid://shopify/Order/66002"}""");
        var accepted = await http.PostAsync($"/api/ingest/replay?shop={shop}", NdJson(jsonl));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var runId = body.GetProperty("run_id").GetGuid();
        var run = await WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");

        var archived = await LocalInfrastructure.ReadObject(system.Bucket, body.GetProperty("archive_key").GetString()!);
        foreach (var plain in new[] { "@", "Ada", "Lovelace", "Analytical" }) Assert.DoesNotContain(plain, archived, StringComparison.Ordinal);
        Assert.Contains($"\"emailSha256\":\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ada.lovelace@example.com"u8))}\"", archived,
            StringComparison.Ordinal);
        Assert.Equal(1200L, await Scalar($"SELECT total_minor FROM transform.order_header WHERE shop_domain = '{shop}' AND order_id = 66001"));

        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}' AND order_id = 66002"));
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM transform.order_line_item WHERE shop_domain = '{shop}' AND order_id = 66002"));
        Assert.StartsWith("createdAt 2099-01-01T00:00:00Z is more than a day after the load began",
            await Query<string>($"SELECT reason FROM transform.rejected_record WHERE run_id = '{runId}' AND external_id = 'gid://shopify/Order/66002'"));
        Assert.Contains("dated in the future",
            await Query<string>($"SELECT reason FROM transform.rejected_record WHERE run_id = '{runId}' AND external_id = 'gid://shopify/LineItem/67002'"));
    }

    [Fact]
    public async Task A_malformed_line_fails_the_run_with_its_line_number_in_the_run_and_its_telemetry()
    {
        using var http = system.GatewayClient();
        var jsonl = string.Join('\n',
            """{"__typename":"Order","id":"gid://shopify/Order/99001","name":"#99001","createdAt":"2026-10-01T10:00:00Z","updatedAt":"2026-10-01"""
            + """T10:05:00Z","currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"1.00","currencyCode":"USD"}}}""",
            """{"__typename":"Order","id":"gid://shopify/Order/99002","name":"#99002",""",
            """{"__typename":"Order","id":"gid://shopify/Order/99003","name":"#99003","createdAt":"2026-10-01T10:00:00Z","updatedAt":"2026-10-01"""
            + """T10:05:00Z","currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"1.00","currencyCode":"USD"}}}""");
        var accepted = await http.PostAsync($"/api/ingest/replay?shop={RunningSystem.ReplayShop}", NdJson(jsonl));
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid();
        var run = await WaitForRunToFinish(http, runId);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("upserting", run.GetProperty("failed_step").GetString());
        Assert.Contains("Line 2", run.GetProperty("error").GetString());
        // The telemetry row is written when the run's event reaches the archiver, after the run's state is saved: wait for it.
        await system.WaitForScalar($"SELECT count(*) FROM ingest.sync_telemetry WHERE run_id = '{runId}' AND status = 'failed' AND error LIKE '%Line 2%'", 1,
            "the run's failed step in ingest.sync_telemetry");
        Assert.Equal(0L,
            await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{RunningSystem.ReplayShop}' AND order_id IN (99001, 99003)"));
    }

    [Fact]
    public async Task A_runs_view_shows_how_far_its_load_committed_and_the_share_of_the_file_read()
    {
        using var http = system.GatewayClient();
        // 2,500 orders and a broken line: with chunks of 1,000 the first two chunks commit and the third never does.
        var lines = Enumerable.Range(1, 2_500).Select(i =>
            ("""{"__typename":"Order","id":"gid://shopify/Order/ORDER","name":"#ORDER","createdAt":"2026-10-01T10:00:00Z","updatedAt":"2026-10-01"""
                + """T10:05:00Z","currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"1.00","currencyCode":"USD"}}}""")
                .Replace("ORDER", (95000 + i).ToString()))
            .Append("""{"__typename":"Order","id":"gid://shopify/Order/97501",""");
        var jsonl = string.Join('\n', lines);
        var accepted = await http.PostAsync($"/api/ingest/replay?shop={RunningSystem.ProgressShop}", NdJson(jsonl));
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid();
        var run = await WaitForRunToFinish(http, runId);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        var load = run.GetProperty("load");
        Assert.True(load.ValueKind == JsonValueKind.Object, $"the failed run shows no load progress: {run}");
        Assert.Equal(run.GetProperty("archive_key").GetString(), load.GetProperty("archive_key").GetString());
        Assert.Equal(2_000, load.GetProperty("records_committed").GetInt64());
        Assert.Equal(2_000, load.GetProperty("orders_committed").GetInt64());
        Assert.Equal(2_000, load.GetProperty("lines_committed").GetInt64());
        Assert.Equal(Encoding.UTF8.GetByteCount(jsonl), load.GetProperty("file_bytes").GetInt64());
        var committedBytes = Encoding.UTF8.GetByteCount(string.Join('\n', lines.Take(2_000))) + 1;
        Assert.Equal(committedBytes, load.GetProperty("bytes_read").GetInt64());
        Assert.InRange(load.GetProperty("share_read").GetDouble(), 0.79, 0.80);
        Assert.Equal(2_000L, await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{RunningSystem.ProgressShop}'"));
    }

    [Fact]
    public async Task A_backfill_reads_orders_older_than_the_watermark_floor_and_leaves_the_watermark()
    {
        using var http = system.GatewayClient();
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-140);
        var from = to.AddDays(-20);

        var accepted = await http.PostAsJsonAsync("/api/ingest/backfill", new { shop = RunningSystem.BackfillShop, from, to });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var run = await WaitForRunToFinish(http, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid());

        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.Equal("FULL_BACKFILL_EXECUTE", run.GetProperty("job_type").GetString());
        var orders = run.GetProperty("counts").GetProperty("orders_upserted").GetInt64();
        Assert.True(orders > 100, $"21 days of about 20 orders a day, got {orders}");
        Assert.Equal(orders, await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{RunningSystem.BackfillShop}'"));
        Assert.Equal(0L, await Scalar($"""
            SELECT count(*) FROM transform.order_header WHERE shop_domain = '{RunningSystem.BackfillShop}'
            AND (created_at < '{from:yyyy-MM-dd}T00:00:00Z' OR created_at >= '{to.AddDays(1):yyyy-MM-dd}T00:00:00Z')
            """));
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.shop_watermark WHERE shop_domain = '{RunningSystem.BackfillShop}'"));
    }

    [Fact]
    public async Task A_backfill_and_a_daily_sync_of_the_same_shop_run_side_by_side_and_only_the_daily_sync_moves_the_watermark()
    {
        using var http = system.GatewayClient();
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-150);
        var backfill = await http.PostAsJsonAsync("/api/ingest/backfill", new { shop = RunningSystem.BesideShop, from = to.AddDays(-10), to });
        var backfillId = (await backfill.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid();
        var dailyId = await system.StartSync(http, RunningSystem.BesideShop);

        var runs = await Task.WhenAll(WaitForRunToFinish(http, backfillId), WaitForRunToFinish(http, dailyId));

        Assert.All(runs, run => Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}"));
        var daily = runs[1];
        var watermark = await Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{RunningSystem.BesideShop}'");
        Assert.Equal(daily.GetProperty("max_updated_at").GetDateTimeOffset().UtcDateTime, watermark);
        Assert.Equal(dailyId, await Query<Guid>($"SELECT advanced_by_run FROM ingest.shop_watermark WHERE shop_domain = '{RunningSystem.BesideShop}'"));
        var overlap = await Scalar($"""
            SELECT count(*) FROM ingest.bulk_sync_state a JOIN ingest.bulk_sync_state b ON a.correlation_id = '{backfillId}' AND b.correlation_id = '{dailyId}'
            WHERE (a.steps->0->>'startedAt')::timestamptz < (b.steps->-1->>'startedAt')::timestamptz
              AND (b.steps->0->>'startedAt')::timestamptz < (a.steps->-1->>'startedAt')::timestamptz
            """);
        Assert.Equal(1L, overlap);
    }

    [Fact]
    public async Task A_shop_unsynced_beyond_the_floor_has_its_gap_read_by_a_backfill_under_an_alert_that_its_success_resolves()
    {
        using var http = system.GatewayClient();
        var shop = RunningSystem.GapShop;
        var first = await WaitForRunToFinish(http, await system.StartSync(http, shop));
        Assert.True(first.GetProperty("status").GetString() == "completed", $"run ended {first}\n{system.AllLogs()}");
        // As if the shop had gone unsynced for 200 days: a daily sync reads back 128 at most.
        await Scalar(
            $"UPDATE ingest.shop_watermark SET updated_through = now() - interval '200 days' WHERE shop_domain = '{shop}' AND entity = 'orders' RETURNING 1");
        var stale = await Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{shop}' AND entity = 'orders'");

        var daily = await WaitForRunToFinish(http, await system.StartSync(http, shop));

        Assert.True(daily.GetProperty("status").GetString() == "completed", $"run ended {daily}\n{system.AllLogs()}");
        Assert.Equal(stale.AddMinutes(-60), daily.GetProperty("gap_since").GetDateTimeOffset().UtcDateTime);
        var gapRunId = daily.GetProperty("gap_run_id").GetGuid();
        var gap = await WaitForRunToFinish(http, gapRunId);
        Assert.True(gap.GetProperty("status").GetString() == "completed", $"the gap's run ended {gap}\n{system.AllLogs()}");
        Assert.Equal("FULL_BACKFILL_EXECUTE", gap.GetProperty("job_type").GetString());
        Assert.Equal(stale.AddMinutes(-60), gap.GetProperty("updated_since").GetDateTimeOffset().UtcDateTime);
        // It read the orders created before the floor (the daily sync read none of them) and changed since the gap began.
        Assert.True(gap.GetProperty("counts").GetProperty("orders_upserted").GetInt64() > 0, $"the gap's run read nothing: {gap}");
        // The alert was raised when the gap was found and resolved when its backfill completed.
        await system.WaitForScalar(
            $"SELECT count(*) FROM kpi.alert WHERE shop_domain = '{shop}' AND rule = 'sync_gap' AND subject = 'orders' AND status = 'resolved'", 1,
            "the sync_gap alert resolved");
        var alert = (await http.GetFromJsonAsync<JsonElement>($"/api/alerts?shop={shop}&status=resolved")).GetProperty("alerts").EnumerateArray()
            .Single(a => a.GetProperty("rule").GetString() == "sync_gap");
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Contains(gapRunId.ToString(), alert.GetProperty("recommendation").GetString());
        // The watermark is the daily sync's, which the backfill did not move.
        Assert.Equal(daily.GetProperty("max_updated_at").GetDateTimeOffset().UtcDateTime,
            await Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{shop}' AND entity = 'orders'"));
    }

    [Theory]
    [InlineData("{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}", "shop")]
    [InlineData("{\"shop\":\"" + RunningSystem.BackfillShop + "\",\"to\":\"2026-01-31\"}", "from")]
    [InlineData("{\"shop\":\"" + RunningSystem.BackfillShop + "\",\"from\":\"2026-02-01\",\"to\":\"2026-01-31\"}", "from")]
    [InlineData("{\"shop\":\"" + RunningSystem.BackfillShop + "\",\"from\":\"yesterday\",\"to\":\"2026-01-31\"}", "from")]
    public async Task A_bad_backfill_request_gets_400_naming_the_parameter(string json, string parameter)
    {
        using var http = system.GatewayClient();
        var response = await http.PostAsync("/api/ingest/backfill", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("", "{\"archiveKey\":\"raw/x.jsonl\"}", HttpStatusCode.BadRequest)]
    [InlineData("?shop=unknown.myshopify.com", "{\"archiveKey\":\"raw/x.jsonl\"}", HttpStatusCode.BadRequest)]
    [InlineData("?shop=" + RunningSystem.ReplayShop, "{\"archiveKey\":\"raw/shopify/" + RunningSystem.ReplayShop + "/orders/never-archived.jsonl\"}",
        HttpStatusCode.NotFound)]
    [InlineData("?shop=" + RunningSystem.ReplayShop, "{\"archiveKey\":\"raw/shopify/" + RunningSystem.TraceShop + "/orders/x.jsonl\"}",
        HttpStatusCode.BadRequest)]
    [InlineData("?shop=" + RunningSystem.ReplayShop,
        "{\"archiveKey\":\"raw/replay/" + RunningSystem.ReplayShop + "/../" + RunningSystem.TraceShop + "/x.jsonl\"}", HttpStatusCode.BadRequest)]
    [InlineData("?shop=" + RunningSystem.ReplayShop, "{\"archiveKey\":\"raw/never-archived.jsonl\"}", HttpStatusCode.BadRequest)]
    [InlineData("?shop=" + RunningSystem.ReplayShop, "{}", HttpStatusCode.BadRequest)]
    [InlineData("?shop=" + RunningSystem.ReplayShop, "not json", HttpStatusCode.BadRequest)]
    public async Task A_bad_replay_request_is_refused_with_a_problem(string query, string json, HttpStatusCode expected)
    {
        using var http = system.GatewayClient();
        var response = await http.PostAsync($"/api/ingest/replay{query}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static StringContent NdJson(string jsonl)
    {
        var content = new StringContent(jsonl);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        return content;
    }

    private Task<JsonElement> WaitForRunToFinish(HttpClient http, Guid runId) => system.WaitForRunToFinish(http, runId);

    private Task<long> Scalar(string sql) => system.Scalar(sql);

    private Task<T> Query<T>(string sql) => system.Query<T>(sql);
}
