using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using GrowthOs.KpiAlert.Analytics;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>The pipelines view and the evidence bundle from fixed telemetry, with the arithmetic written out.</summary>
public sealed class PipelineHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static StepRow Step(Guid run, string step, string status, double seconds, string job = "DAILY_SYNC", string source = "shopify", string entity = "",
        long retries = 0, string? error = null) =>
        new(run, job, source, step, status, entity, T0.AddSeconds(seconds), new Dictionary<string, long> { ["retry_attempts"] = retries }, error);

    private static readonly Guid Fast = Guid.NewGuid(), Slow = Guid.NewGuid(), Broken = Guid.NewGuid(), Open = Guid.NewGuid(), Meta = Guid.NewGuid();

    private static readonly StepRow[] Steps =
    [
        // Fast: 60 s, completed. Slow: 120 s, completed, orders retried twice and customers once. Broken: failed after 30 s.
        Step(Fast, "initiated", "started", 0), Step(Fast, "requested", "started", 1, entity: "orders"), Step(Fast, "completed", "succeeded", 60),
        Step(Slow, "initiated", "started", 3_600), Step(Slow, "requested", "started", 3_601, entity: "orders", retries: 2),
        Step(Slow, "requested", "started", 3_650, entity: "customers", retries: 1), Step(Slow, "completed", "succeeded", 3_720),
        Step(Broken, "initiated", "started", 7_200), Step(Broken, "failed", "failed", 7_230, error: "Retry budget exhausted"),
        // Open: still polling. Meta: a marketing run, partial after 10 s.
        Step(Open, "initiated", "started", 10_000), Step(Open, "polling", "started", 10_005, entity: "orders"),
        Step(Meta, "requested", "started", 0, job: "MARKETING_SYNC", source: "meta"),
        Step(Meta, "partial", "partial", 10, job: "MARKETING_SYNC", source: "meta"),
    ];

    private static readonly DeferralRow[] Deferrals =
    [
        new(Slow, "shopify", "orders", "OPERATION_IN_PROGRESS", "another bulk query runs", 30, T0.AddSeconds(3_610)),
        new(Slow, "shopify", "orders", "THROTTLED", "throttled", null, T0.AddSeconds(3_620)),
        new(Meta, "meta", null, "CODE_80000", "rate limited", 60, T0.AddSeconds(5)),
    ];

    private static CallRow Call(Guid run, string source, double seconds, bool throttled = false, decimal? usage = null) =>
        new(run, source, "bulkOperationRunQuery", T0.AddSeconds(seconds), 200, 100, 0, throttled, throttled ? "THROTTLED" : null, usage);

    private static readonly CallRow[] Calls =
    [
        // 12:00 UTC is 07:00 in New York (EST); 13:00 UTC is 08:00.
        Call(Fast, "shopify", 1, usage: 10), Call(Fast, "shopify", 30, usage: 30),
        Call(Slow, "shopify", 3_601, throttled: true, usage: 95), Call(Slow, "shopify", 3_700, usage: 40),
        Call(Meta, "meta", 2, usage: 85.5m),
    ];

    [Fact]
    public void Each_pipeline_has_its_runs_outcomes_success_rate_nearest_rank_percentiles_retries_and_deferrals()
    {
        var pipelines = PipelineHealth.Pipelines(Steps, Deferrals);
        Assert.Equal(["marketing:meta", "shopify"], pipelines.Select(p => p.Pipeline));

        var shopify = pipelines.Single(p => p.Pipeline == "shopify");
        // 4 runs: 2 completed, 1 failed, 1 running; success rate 2 / 3 ended = 0.6667.
        Assert.Equal((4, 2, 0, 1, 1, 0.6667m), (shopify.Runs, shopify.Completed, shopify.Partial, shopify.Failed, shopify.Running, shopify.SuccessRate));
        // Durations sorted 30,000, 60,000, 120,000 ms: p50 is the ceil(0.5 × 3) = 2nd, p95 the ceil(0.95 × 3) = 3rd.
        Assert.Equal((60_000L, 120_000L), (shopify.P50DurationMs!.Value, shopify.P95DurationMs!.Value));
        // Retries: Slow's orders 2 + customers 1; deferrals: Slow's 2.
        Assert.Equal((3L, 2), (shopify.Retries, shopify.Deferrals));
        Assert.Equal((Open, "running", (long?)null), (shopify.LastRun!.RunId, shopify.LastRun.Outcome, shopify.LastRun.DurationMs));

        var meta = pipelines.Single(p => p.Pipeline == "marketing:meta");
        Assert.Equal((1, 1, 0m, 10_000L, 1), (meta.Runs, meta.Partial, meta.SuccessRate!.Value, meta.P95DurationMs!.Value, meta.Deferrals));
        Assert.Equal("Retry budget exhausted", PipelineHealth.Summarize(Steps.Where(s => s.RunId == Broken).ToList()).Error);
    }

    [Fact]
    public void Percentiles_of_no_runs_are_null_and_of_one_run_are_that_run()
    {
        Assert.Null(PipelineHealth.Percentile([], 0.5m));
        Assert.Equal(7L, PipelineHealth.Percentile([7], 0.95m));
        Assert.Equal(95L, PipelineHealth.Percentile(Enumerable.Range(1, 100).Select(i => (long)i).ToList(), 0.95m));
    }

    [Fact]
    public void Rate_limit_windows_are_per_source_and_hour_of_the_shops_day_and_name_the_hours_to_avoid()
    {
        var windows = PipelineHealth.RateLimitWindows(Calls, Deferrals, NewYork, avoidAtUsagePercent: 80);
        Assert.Equal(["meta", "shopify"], windows.Select(w => w.Source));
        var shopify = windows.Single(w => w.Source == "shopify");
        Assert.Equal(24, shopify.Hours.Count);
        // 07:00 New York: two calls, usage 10 and 30 (max 30, mean 20), nothing throttled: not to avoid.
        Assert.Equal(new HourWindow(7, 2, 0, 0, 0, 30m, 20m, false), shopify.Hours[7]);
        // 08:00: one call throttled at 95 %, one at 40 % (mean 67.5); a bulk-slot wait and a throttled deferral.
        Assert.Equal(new HourWindow(8, 2, 1, 2, 1, 95m, 67.5m, true), shopify.Hours[8]);
        Assert.Equal([8], shopify.HoursToAvoid);
        // Meta at 07:00: usage 85.5 % at or above 80 %: avoid, though nothing was throttled.
        Assert.Equal(new HourWindow(7, 1, 0, 1, 0, 85.5m, 85.5m, true), windows.Single(w => w.Source == "meta").Hours[7]);
        Assert.Equal(new HourWindow(0, 0, 0, 0, 0, null, null, false), shopify.Hours[0]);
    }

    [Fact]
    public void An_evidence_bundle_holds_each_file_its_manifest_names_with_the_checksum_it_gives()
    {
        var run = PipelineHealth.Summarize(Steps.Where(s => s.RunId == Slow).ToList());
        var bundle = EvidenceBundle.Write(new RunEvidence("shop.myshopify.com", run, Calls.Where(c => c.RunId == Slow).ToList(),
            Deferrals.Where(d => d.RunId == Slow).ToList(), [new QualityRow("no_future_dates", "critical", 0, true, T0)],
            PipelineHealth.RateLimitWindows(Calls, Deferrals, NewYork, 80), "America/New_York"), T0.AddHours(2));

        using var zip = new ZipArchive(new MemoryStream(bundle), ZipArchiveMode.Read);
        string Text(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }
        var manifest = JsonDocument.Parse(Text(EvidenceBundle.ManifestName)).RootElement;
        Assert.Equal(Slow, manifest.GetProperty("run_id").GetGuid());
        var files = manifest.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["run.json", "telemetry.jsonl", "api_calls.jsonl", "deferrals.jsonl", "data_quality.json", "rate_limit_windows.json"],
            files.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(files.Count + 1, zip.Entries.Count);
        foreach (var file in files)
        {
            using var stream = zip.GetEntry(file.GetProperty("name").GetString()!)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
            Assert.Equal(file.GetProperty("bytes").GetInt32(), (int)copy.Length);
        }
        Assert.Equal(4, Text("telemetry.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, Text("api_calls.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var record = JsonDocument.Parse(Text("run.json")).RootElement.GetProperty("run");
        Assert.Equal(("completed", 120_000L, 3L),
            (record.GetProperty("outcome").GetString(), record.GetProperty("duration_ms").GetInt64(), record.GetProperty("retries").GetInt64()));
    }
}
