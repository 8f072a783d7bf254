extern alias sandbox;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using sandbox::GrowthOs.Sandbox.DemoData;

/// <summary>
/// A fleet of shops on one machine: the Sandbox's fleet shops (Sandbox:Fleet, bench/services.sh fleet) connected through
/// the connections API with their Meta ad account, Google Ads customer and GA4 property, their first syncs started at once
/// (as an agency onboarding its shops would), then one day of their daily schedules, every one due in the same minute.
/// Prints per phase: shops synced per hour, p50 and p95 of a run's duration (from its request to its last step), the
/// runs failed or partial, the messages the broker took per run and the processor time of each service, PostgreSQL and
/// RabbitMQ; then each service's peak memory.
/// </summary>
internal static class FleetBenchmark
{
    private static readonly string[] Running = ["requested", "polling", "downloading", "fetching", "archiving", "upserting", "transforming"];

    public static async Task Run(HttpClient admin, Arguments arguments)
    {
        var shops = int.Parse(arguments.Get("shops", "1000"), CultureInfo.InvariantCulture);
        var fleet = new FleetSandboxOptions { DomainPrefix = arguments.Get("prefix", "fleet-") };
        var parallel = int.Parse(arguments.Get("parallel", "8"), CultureInfo.InvariantCulture);
        var broker = new Uri(arguments.Get("broker", "http://127.0.0.1:55673"));
        var domains = Enumerable.Range(1, shops).Select(fleet.Domain).ToList();
        var usage = new Usage(broker);

        // Connected on a schedule half a day away, so that no daily sync fires before its day below.
        var clock = Stopwatch.StartNew();
        var away = DateTime.UtcNow.AddHours(12);
        var cron = $"{away.Minute} {away.Hour} * * *";
        var connections = new List<Guid>[shops];
        await Parallel.ForAsync(0, shops, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            var n = i + 1;
            var shop = domains[i];
            connections[i] =
            [
                await Connect(admin, new { shop, access_token = FleetSandboxOptions.ShopToken(n), cron }),
                await Connect(admin, new
                {
                    shop, provider = "meta", account = $"act_{FleetSandboxOptions.MetaAccount(n)}", access_token = FleetSandboxOptions.MetaToken(n), cron,
                }),
                await Connect(admin, new
                {
                    shop, provider = "google_ads", account = FleetSandboxOptions.GoogleAdsCustomer(n),
                    refresh_token = FleetSandboxOptions.GoogleAdsRefreshToken(n), cron,
                }),
                await Connect(admin, new
                {
                    shop, provider = "ga4", account = $"properties/{FleetSandboxOptions.Ga4Property(n)}",
                    refresh_token = FleetSandboxOptions.Ga4RefreshToken(n), cron,
                }),
            ];
        });
        Console.WriteLine($"Connected {shops:N0} shops, each with a Meta ad account, a Google Ads customer and a GA4 property, "
            + $"in {clock.Elapsed.TotalSeconds:F1} s");

        // Their first syncs: the shop's (whose history backfill follows on its own) and its three sources', all requested at once.
        var firstStarted = DateTimeOffset.UtcNow;
        await usage.Start();
        clock.Restart();
        await Parallel.ForAsync(0, shops, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            await Post(admin, "/api/performance-metrics/sync", new { initiator = "user", shop = domains[i] });
            await Post(admin, "/api/marketing/sync", new { shop = domains[i] });
        });
        Console.WriteLine($"Requested {shops:N0} first syncs and their marketing in {clock.Elapsed.TotalSeconds:F1} s");
        await Settle(admin, clock);
        Report("First syncs", shops, await RunsSince(admin, firstStarted), firstStarted, await usage.Stop());

        // One day of their daily schedules: every connection due in the same minute, two minutes from now, on the shops'
        // clocks (UTC).
        var due = DateTime.UtcNow.AddMinutes(2);
        due = new DateTime(due.Year, due.Month, due.Day, due.Hour, due.Minute, 0, DateTimeKind.Utc);
        var dailyCron = $"{due.Minute} {due.Hour} * * *";
        await Parallel.ForAsync(0, shops, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            foreach (var id in connections[i])
            {
                using var answer = await admin.PatchAsJsonAsync($"/api/connections/{id}", new { cron = dailyCron });
                if (!answer.IsSuccessStatusCode)
                    throw new InvalidOperationException(
                        $"PATCH /api/connections/{id} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            }
        });
        Console.WriteLine($"Every connection's schedule set to {dailyCron} (UTC); waiting for {due:HH:mm} UTC");
        var wait = new DateTimeOffset(due) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        await usage.Start();
        clock.Restart();
        // The scheduler fires them at its next scan: wait until the day's runs are all requested, then until they end.
        var expected = shops * 4;
        while ((await RunsSince(admin, new DateTimeOffset(due))).Count < expected && clock.Elapsed < TimeSpan.FromHours(1))
            await Task.Delay(TimeSpan.FromSeconds(5));
        await Settle(admin, clock);
        var daily = await RunsSince(admin, new DateTimeOffset(due));
        Report("Daily syncs (every shop due at once)", shops, daily, new DateTimeOffset(due), await usage.Stop());
        if (daily.Count < expected) Console.WriteLine($"  only {daily.Count:N0} of the {expected:N0} scheduled runs were started");

        Console.WriteLine();
        Console.WriteLine("Peak memory (resident, VmHWM): "
            + string.Join(", ", Usage.Services.Select(s => $"{s} {Usage.PeakMegabytes(s):N0} MB")));
    }

    private static async Task<Guid> Connect(HttpClient admin, object body)
    {
        using var answer = await admin.PostAsJsonAsync("/api/connections", body);
        if (answer.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted))
            throw new InvalidOperationException(
                $"POST /api/connections answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task Post(HttpClient admin, string path, object body)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var answer = await admin.PostAsJsonAsync(path, body);
            if (answer.StatusCode == HttpStatusCode.Accepted) return;
            if (attempt == 20)
                throw new InvalidOperationException($"POST {path} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            await Task.Delay(500);
        }
    }

    /// <summary>Waits until no run is under way, twice 10 s apart (a first sync requests its history backfill as it ends).</summary>
    private static async Task Settle(HttpClient admin, Stopwatch clock)
    {
        var quiet = 0;
        var shown = TimeSpan.Zero;
        while (quiet < 2)
        {
            var underWay = 0;
            foreach (var status in Running)
            {
                var page = await admin.GetFromJsonAsync<JsonElement>($"/api/ingest/runs?status={status}&pageSize=1");
                underWay += page.GetProperty("total").GetInt32();
            }
            quiet = underWay == 0 ? quiet + 1 : 0;
            if (clock.Elapsed - shown >= TimeSpan.FromMinutes(1))
            {
                shown = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalMinutes:F0} min: {underWay:N0} runs under way");
            }
            await Task.Delay(TimeSpan.FromSeconds(underWay == 0 ? 10 : 5));
        }
    }

    /// <summary>Every run requested since <paramref name="since"/>, newest first, a page of 200 at a time.</summary>
    private static async Task<List<JsonElement>> RunsSince(HttpClient admin, DateTimeOffset since)
    {
        var runs = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var answer = await admin.GetFromJsonAsync<JsonElement>($"/api/ingest/runs?page={page}&pageSize=200");
            var items = answer.GetProperty("items").EnumerateArray().ToList();
            runs.AddRange(items.Where(r => r.GetProperty("requested_at").GetDateTimeOffset() >= since));
            if (items.Count < 200 || items[^1].GetProperty("requested_at").GetDateTimeOffset() < since) return runs;
        }
    }

    /// <summary>A phase from its start to the end of its last run.</summary>
    private static void Report(string title, int shops, List<JsonElement> runs, DateTimeOffset started, string usage)
    {
        var durations = runs.Select(r => (End(r) - r.GetProperty("requested_at").GetDateTimeOffset()).TotalSeconds).ToList();
        var elapsed = runs.Select(End).DefaultIfEmpty(started).Max() - started;
        double Percentile(double share) => Percentiles.Of(durations, share);
        var byStatus = runs.GroupBy(r => r.GetProperty("status").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Console.WriteLine();
        Console.WriteLine($"{title}: {shops:N0} shops in {elapsed.TotalMinutes:F1} min, {shops / elapsed.TotalHours:N0} shops synced per hour");
        Console.WriteLine($"  {runs.Count:N0} runs ({string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} {s.Key}"))}); "
            + $"a run's duration p50 {Percentile(0.5):F1} s, p95 {Percentile(0.95):F1} s, longest {Percentile(1):F1} s");
        foreach (var failed in runs.Where(r => r.GetProperty("status").GetString() is "failed" or "partial").Take(5))
            Console.WriteLine($"  {failed.GetProperty("status").GetString()} {failed.GetProperty("run_id").GetString()} "
                + $"of {failed.GetProperty("shop").GetString()}: "
                + (failed.TryGetProperty("error", out var error) ? error.ToString() : "")
                + (failed.TryGetProperty("partial_reason", out var reason) ? reason.ToString() : ""));
        Console.WriteLine($"  {usage.Replace("{runs}", runs.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}");
    }

    /// <summary>The end of the run's last step.</summary>
    private static DateTimeOffset End(JsonElement run) =>
        run.GetProperty("steps").EnumerateArray()
            .Select(s => s.GetProperty("started_at").GetDateTimeOffset() + (s.GetProperty("duration_ms").ValueKind == JsonValueKind.Number
                ? TimeSpan.FromMilliseconds(s.GetProperty("duration_ms").GetInt64())
                : TimeSpan.Zero))
            .DefaultIfEmpty(run.GetProperty("requested_at").GetDateTimeOffset()).Max();

    /// <summary>The broker's messages and the processor time of the services, PostgreSQL and RabbitMQ over a phase.</summary>
    private sealed class Usage(Uri broker)
    {
        public static readonly string[] Services = ["Sandbox", "IngestSaga", "Connector", "Transform", "KpiAlert", "ApiGateway"];
        private readonly HttpClient _broker = new(new HttpClientHandler { Credentials = new NetworkCredential("guest", "guest") }) { BaseAddress = broker };
        private Dictionary<string, long> _published = [];
        private Dictionary<string, TimeSpan> _cpu = [];
        private DateTime _started;

        public async Task Start()
        {
            _published = await Published();
            _cpu = Cpu();
            _started = DateTime.UtcNow;
        }

        /// <summary>What the phase used, with <c>{runs}</c> for the number of its runs.</summary>
        public async Task<string> Stop()
        {
            var now = await Published();
            var total = now[""] - _published.GetValueOrDefault("");
            var published = now.Where(e => e.Key.Length > 0).Select(e => (Exchange: e.Key, Count: e.Value - _published.GetValueOrDefault(e.Key)))
                .Where(e => e.Count > 0).OrderByDescending(e => e.Count).ToList();
            var seconds = (DateTime.UtcNow - _started).TotalSeconds;
            var cpu = Cpu().Select(c => (c.Key, Seconds: (c.Value - _cpu.GetValueOrDefault(c.Key)).TotalSeconds))
                .OrderByDescending(c => c.Seconds).ToList();
            return $"{total:N0} messages published ({{runs}} runs), most to "
                + string.Join(", ", published.Take(4).Select(e => $"{e.Exchange} {e.Count:N0}"))
                + $"\n  processor time over {seconds:N0} s (2 cores): " + string.Join(", ", cpu.Select(c => $"{c.Key} {c.Seconds:N0} s"));
        }

        /// <summary>
        /// The messages published to the broker so far (under "") and into each exchange (a message routed on through
        /// exchanges bound to its type's is counted again in each).
        /// </summary>
        private async Task<Dictionary<string, long>> Published()
        {
            var published = (await _broker.GetFromJsonAsync<JsonElement>("/api/exchanges?columns=name,message_stats.publish_in")).EnumerateArray()
                .Where(e => e.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("publish_in", out _))
                .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("message_stats").GetProperty("publish_in").GetInt64());
            var overview = await _broker.GetFromJsonAsync<JsonElement>("/api/overview");
            published[""] = overview.TryGetProperty("message_stats", out var total) && total.TryGetProperty("publish", out var count) ? count.GetInt64() : 0;
            return published;
        }

        private static Dictionary<string, TimeSpan> Cpu()
        {
            var cpu = Services.ToDictionary(s => s, s => ProcessCpu.Of(ProcessCpu.Find(s)));
            // A backend that ended is counted in its postmaster's children's time.
            cpu["PostgreSQL"] = ProcessCpu.OfAll("postgres");
            cpu["RabbitMQ"] = ProcessCpu.OfAll("beam.smp");
            return cpu;
        }

        public static long PeakMegabytes(string service) => ProcessCpu.StatusKilobytes(ProcessCpu.Find(service), "VmHWM") / 1024;
    }
}
