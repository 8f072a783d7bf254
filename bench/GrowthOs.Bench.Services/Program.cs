using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.AspNetCore.WebUtilities;

// Benchmarks of the running system (bench/services.sh starts it and gives this its addresses, key and secret).
//   sync: a shop's first sync and the daily sync after it, through the gateway, each step timed from the runs API.
//   fleet: many shops connected, synced first, then daily (Fleet.cs).
//   reads: the dashboards' reads of a shop, each range timed, and its orders list page by page (Reads.cs).
//   gateway: the gateway's cost. One dashboard read made through the gateway with a viewer's key, and the same read made
//   straight to the service behind it with the signature the gateway would give it, side by side: rounds of each
//   alternate so that the machine's drift falls on both. Prints requests per second, p50, p90 and p99 of each and what
//   the gateway adds.
var arguments = Arguments.Parse(args);
var shop = arguments.Get("shop", "demo-shop.myshopify.com");
var gateway = new Uri(arguments.Get("gateway", "http://127.0.0.1:8080"));
using var admin = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
admin.DefaultRequestHeaders.Add("X-Api-Key", arguments.Get("key", ""));

switch (arguments.Command)
{
    case "gateway":
        await GatewayCost();
        break;
    case "sync":
        await SyncPath();
        break;
    case "fleet":
        await FleetBenchmark.Run(admin, arguments);
        break;
    case "reads":
        if (arguments.Get("sync", "false") == "true") await SyncShop();
        await ReadsBenchmark.Run(admin, arguments, shop);
        break;
    default:
        Console.Error.WriteLine("usage: GrowthOs.Bench.Services gateway --key KEY --secret SECRET [--gateway URL] [--direct URL] [--shop SHOP] "
            + "[--path PATH] [--connections N] [--seconds S] [--rounds R]");
        Console.Error.WriteLine("       GrowthOs.Bench.Services sync --key KEY [--gateway URL] [--shop SHOP] [--entities orders,products]");
        Console.Error.WriteLine("       GrowthOs.Bench.Services reads --key KEY [--gateway URL] [--shop SHOP] [--sync true] [--repeat N] [--order-pages N]");
        Console.Error.WriteLine("       GrowthOs.Bench.Services fleet --key KEY [--gateway URL] [--shops N] [--prefix fleet-] [--parallel N] [--broker URL]");
        return 2;
}
return 0;

async Task GatewayCost()
{
    var path = arguments.Get("path", $"/api/dashboard/sales-pulse?shop={shop}&days=30");
    var direct = new Uri(arguments.Get("direct", "http://127.0.0.1:8083"));
    var secret = arguments.Get("secret", "");
    var connections = int.Parse(arguments.Get("connections", "8"), CultureInfo.InvariantCulture);
    var seconds = int.Parse(arguments.Get("seconds", "10"), CultureInfo.InvariantCulture);
    var rounds = int.Parse(arguments.Get("rounds", "3"), CultureInfo.InvariantCulture);

    await SyncShop();
    // A viewer's key of the shop's, as a dashboard reader has; the direct call is signed as the gateway signs its reads.
    var viewerId = $"bench-viewer-{DateTime.UtcNow:yyyyMMddHHmmss}";
    var created = await admin.PostAsJsonAsync("/api/keys", new { id = viewerId, role = GatewayRoles.Viewer, shops = Array.Empty<string>() });
    if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST /api/keys answered {created.StatusCode}");
    var viewerKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    var caller = new GatewayCaller(viewerId, GatewayRoles.Viewer, shop, []);
    var target = new Uri(direct, path);
    var query = QueryHelpers.ParseQuery(target.Query);

    using var throughGateway = Client(gateway);
    using var straight = Client(direct);
    HttpRequestMessage ThroughGateway()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", viewerKey);
        return request;
    }
    HttpRequestMessage Straight()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        GatewaySignature.Apply((name, value) => request.Headers.TryAddWithoutValidation(name, value), secret, DateTimeOffset.UtcNow, "GET",
            target.AbsolutePath, query, caller, GatewaySignature.EmptyBody);
        return request;
    }

    // Both answer the same before anything is timed, and each path is warmed up.
    var viaGateway = await (await throughGateway.SendAsync(ThroughGateway())).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    var viaDirect = await (await straight.SendAsync(Straight())).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    if (viaGateway != viaDirect) throw new InvalidOperationException("The gateway and the service answered the read differently.");
    await Load(throughGateway, ThroughGateway, connections, TimeSpan.FromSeconds(3));
    await Load(straight, Straight, connections, TimeSpan.FromSeconds(3));

    Console.WriteLine($"GET {path} ({viaGateway.Length:N0} bytes), {connections} connections, {rounds} rounds of {seconds} s each way, alternating");
    var gatewayRuns = new List<LoadRun>();
    var directRuns = new List<LoadRun>();
    var processes = new[] { "ApiGateway", "Transform" }.ToDictionary(name => name, ProcessCpu.Find);
    var cpu = new Dictionary<(bool Gateway, string Process), TimeSpan>();
    for (var round = 0; round < rounds; round++)
    {
        // Alternate which goes first, so that neither always follows the other's garbage.
        foreach (var viaTheGateway in round % 2 == 0 ? new[] { true, false } : [false, true])
        {
            var before = processes.ToDictionary(p => p.Key, p => ProcessCpu.Of(p.Value));
            var ownBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var run = viaTheGateway
                ? await Load(throughGateway, ThroughGateway, connections, TimeSpan.FromSeconds(seconds))
                : await Load(straight, Straight, connections, TimeSpan.FromSeconds(seconds));
            (viaTheGateway ? gatewayRuns : directRuns).Add(run);
            foreach (var (name, pid) in processes)
                cpu[(viaTheGateway, name)] = cpu.GetValueOrDefault((viaTheGateway, name)) + ProcessCpu.Of(pid) - before[name];
            cpu[(viaTheGateway, "bench")] = cpu.GetValueOrDefault((viaTheGateway, "bench")) + Process.GetCurrentProcess().TotalProcessorTime - ownBefore;
            Console.WriteLine($"  round {round + 1} {(viaTheGateway ? "gateway" : "direct "),-8} {run}");
        }
    }
    var g = LoadRun.Merge(gatewayRuns);
    var d = LoadRun.Merge(directRuns);
    Console.WriteLine();
    Console.WriteLine($"{"",-22} {"requests/s",10} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"errors",7}");
    foreach (var (name, run) in new[] { ("through the gateway", g), ("straight, signed", d) })
        Console.WriteLine(
            $"{name,-22} {run.PerSecond,10:N0} {run.Percentile(0.50),8:F2} {run.Percentile(0.90),8:F2} {run.Percentile(0.99),8:F2} {run.Errors,7}");
    Console.WriteLine($"The gateway adds {g.Percentile(0.50) - d.Percentile(0.50):F2} ms at p50 (target 0.5) and "
        + $"{g.Percentile(0.99) - d.Percentile(0.99):F2} ms at p99 (target 5), and keeps {g.PerSecond / d.PerSecond:P0} of the direct requests per second.");
    // Where the processor went: each process's CPU time per request answered, on each path.
    foreach (var (viaTheGateway, run) in new[] { (true, g), (false, d) })
        Console.WriteLine($"CPU per request {(viaTheGateway ? "through the gateway" : "straight"),-20}: "
            + string.Join(", ", new[] { "ApiGateway", "Transform", "bench" }.Where(p => cpu.ContainsKey((viaTheGateway, p)))
                .Select(p => $"{p} {cpu[(viaTheGateway, p)].TotalMicroseconds / run.Latencies.Count:F0} µs")));
    await admin.DeleteAsync($"/api/keys/{viewerId}");
}

// The first sync of a shop never synced, the backfill of its history it asks for, and the daily sync after them.
async Task SyncPath()
{
    var entities = arguments.Get("entities", "orders").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var first = await Run(await StartSync(entities), $"First sync of {shop} ({string.Join(", ", entities)})");
    if (first.TryGetProperty("history_run_id", out var history) && history.ValueKind == JsonValueKind.String)
        await Run(history.GetString()!, "Its history (the orders before the floor), a backfill run of its own");
    await Run(await StartSync(entities), "The daily sync after it");
}

async Task<string> StartSync(string[] entities)
{
    for (var attempt = 0; attempt < 40; attempt++)
    {
        var answer = await admin.PostAsJsonAsync("/api/performance-metrics/sync", new { initiator = "user", shop, entities });
        if (answer.StatusCode == HttpStatusCode.Accepted) return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetString()!;
        await Task.Delay(500);
    }
    throw new InvalidOperationException($"The sync of {shop} was refused.");
}

// Waits for the run to end, then prints its steps as the runs API times them.
async Task<JsonElement> Run(string runId, string title)
{
    var run = await WaitForRun(runId);
    var steps = run.GetProperty("steps").EnumerateArray().ToList();
    var started = steps[0].GetProperty("started_at").GetDateTimeOffset();
    var ended = steps[^1].GetProperty("started_at").GetDateTimeOffset();
    Console.WriteLine($"{title}: run {runId} {run.GetProperty("status").GetString()} in {(ended - started).TotalSeconds:F1} s end to end, "
        + $"{run.GetProperty("counts").GetProperty("orders_upserted").GetInt64():N0} orders upserted");
    foreach (var step in steps.Where(s => s.GetProperty("duration_ms").ValueKind == JsonValueKind.Number))
        Console.WriteLine($"  {step.GetProperty("step").GetString(),-13} {step.GetProperty("entity").GetString() ?? "",-10} "
            + $"{step.GetProperty("duration_ms").GetInt64() / 1000.0,8:F1} s");
    if (steps.FirstOrDefault(s => s.GetProperty("step").GetString() == "downloading") is { ValueKind: JsonValueKind.Object } download)
        Console.WriteLine("  from the operation's completion to the marts refreshed: "
            + $"{(ended - download.GetProperty("started_at").GetDateTimeOffset()).TotalSeconds:F1} s");
    return run;
}

async Task<JsonElement> WaitForRun(string runId)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromMinutes(30))
    {
        var answer = await admin.GetAsync($"/api/ingest/runs/{runId}");
        if (answer.IsSuccessStatusCode)
        {
            var run = await answer.Content.ReadFromJsonAsync<JsonElement>();
            if (run.GetProperty("status").GetString() is "completed" or "partial" or "failed") return run;
        }
        await Task.Delay(1000);
    }
    throw new TimeoutException($"Run {runId} did not end in 30 minutes.");
}

// The shop's sync through the gateway, so that the read has the shop's figures to answer.
async Task SyncShop()
{
    JsonElement accepted = default;
    for (var attempt = 0; attempt < 40; attempt++)
    {
        var answer = await admin.PostAsJsonAsync("/api/performance-metrics/sync", new { initiator = "user", shop });
        if (answer.StatusCode == HttpStatusCode.Accepted)
        {
            accepted = await answer.Content.ReadFromJsonAsync<JsonElement>();
            break;
        }
        await Task.Delay(500);
    }
    if (accepted.ValueKind != JsonValueKind.Object) throw new InvalidOperationException($"The sync of {shop} was refused.");
    var runId = accepted.GetProperty("run_id").GetString();
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromMinutes(10))
    {
        var run = await admin.GetAsync($"/api/ingest/runs/{runId}");
        var status = run.IsSuccessStatusCode ? (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() : null;
        if (status is "completed" or "partial" or "failed")
        {
            Console.WriteLine($"Synced {shop} (run {runId}: {status}) in {clock.Elapsed.TotalSeconds:F1} s");
            return;
        }
        await Task.Delay(1000);
    }
    throw new TimeoutException($"Run {runId} did not end in 10 minutes.");
}

static HttpClient Client(Uri address) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false, AllowAutoRedirect = false })
{
    BaseAddress = address,
    Timeout = TimeSpan.FromSeconds(30),
};

// N loops, each sending its next request when the last is answered and read, for the duration.
static async Task<LoadRun> Load(HttpClient client, Func<HttpRequestMessage> request, int connections, TimeSpan duration)
{
    var clock = Stopwatch.StartNew();
    var loops = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        var latencies = new List<double>(100_000);
        var errors = 0;
        while (clock.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            using var answer = await client.SendAsync(request());
            await answer.Content.ReadAsByteArrayAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!answer.IsSuccessStatusCode) errors++;
        }
        return (latencies, errors);
    })).ToList();
    var results = await Task.WhenAll(loops);
    return new LoadRun(results.SelectMany(r => r.latencies).ToList(), results.Sum(r => r.errors), clock.Elapsed);
}

internal sealed record LoadRun(List<double> Latencies, int Errors, TimeSpan Elapsed)
{
    public double PerSecond => Latencies.Count / Elapsed.TotalSeconds;

    public double Percentile(double share) => Percentiles.Of(Latencies, share);

    public static LoadRun Merge(IReadOnlyList<LoadRun> runs) =>
        new(runs.SelectMany(r => r.Latencies).ToList(), runs.Sum(r => r.Errors), TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{PerSecond,8:N0} requests/s, p50 {Percentile(0.50):F2} ms, p90 {Percentile(0.90):F2} ms, p99 {Percentile(0.99):F2} ms, {Errors} errors");
}

/// <summary>Nearest-rank percentiles.</summary>
internal static class Percentiles
{
    /// <summary>The value below which <paramref name="share"/> of <paramref name="values"/> lie (1: the largest); NaN of none.</summary>
    public static double Of(IEnumerable<double> values, double share)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>The command (the first argument) and its <c>--name value</c> options.</summary>
internal sealed record Arguments(string Command, Dictionary<string, string> Options)
{
    public static Arguments Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
            options[args[i].TrimStart('-')] = args[i + 1];
        return new Arguments(args.FirstOrDefault() ?? "", options);
    }

    public string Get(string name, string fallback) => Options.GetValueOrDefault(name, fallback);
}
