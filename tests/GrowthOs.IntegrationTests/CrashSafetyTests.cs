using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// A run disturbed mid-way — a service killed with SIGKILL and started again, the broker restarted, the database server
/// restarted (shut down fast, down for 10 s, started again), or the object store down for 60 s during the archive
/// or during the load — completes with the same rows, the same watermark and the same events as an undisturbed run of
/// a twin shop (same seed, same size).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CrashSafetyTests(RunningSystem system)
{
    private static readonly SemaphoreSlim ReferenceLock = new(1, 1);

    /// <summary>
    /// Each run reads from its own "now minus 128 days", seconds apart; orders updated near that floor may be in one run
    /// and not the other. Runs are compared on the orders updated after a fixed point a day inside the floor.
    /// </summary>
    private static readonly DateTime Since = DateTime.UtcNow.AddDays(-127);
    private static Fingerprint? _reference;

    [Theory]
    [InlineData("Connector", "polling")]
    [InlineData("Transform", "upserting")]
    [InlineData("IngestSaga", "polling")]
    [InlineData("KpiAlert", "upserting")]
    [InlineData("ApiGateway", "polling")]
    [InlineData("Sandbox", "polling")]
    [InlineData("Broker", "downloading")]
    [InlineData("Postgres", "upserting")]
    [InlineData("StoreArchive", "downloading")]
    [InlineData("StoreLoad", "upserting")]
    public async Task A_run_disturbed_mid_way_ends_like_an_undisturbed_one(string disturbance, string atStep)
    {
        var reference = await Reference();
        await using var tap = await BusTap.Start(system.VirtualHost, RunEvents);
        using var http = system.GatewayClient();
        var shop = RunningSystem.TwinShop(disturbance);
        var errorsBefore = await BusTap.ErrorQueues(system.VirtualHost);
        var runId = await system.StartSync(http, shop);
        await system.WaitForStatus(http, runId, atStep);

        var outage = disturbance switch
        {
            "Broker" => await RestartBroker(),
            "Postgres" => await system.RestartDatabase(TimeSpan.FromSeconds(10)),
            "StoreArchive" or "StoreLoad" => await system.TakeStoreDown(TimeSpan.FromSeconds(60)),
            _ => await KillAndRestart(disturbance),
        };

        var run = await system.WaitForRunToFinish(http, runId, seconds: 300);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.Equal(reference, await Fingerprint.Of(system, shop, await tap.WaitFor(HasCompleted(runId), TimeSpan.FromSeconds(30)), runId));
        if (disturbance == "Postgres") Assert.True(outage > 0, "the restart ended no session of the services");
        // No error queue gained a message: one reaching a saga while its database was down is retried until the database is
        // back, and a consumer that gives up on the infrastructure faults (its Fault makes the run wait and send the command
        // again) keeps no copy of a message that needs no one.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var errorsAfter = await BusTap.ErrorQueues(system.VirtualHost);
        var errors = errorsAfter.Where(queue => queue.Value > errorsBefore.GetValueOrDefault(queue.Key))
            .Select(queue => $"{queue.Key}: {queue.Value}").ToList();
        Assert.True(errors.Count == 0, $"messages reached an error queue: {string.Join(", ", errors)}\n{system.AllLogs()}");
        if (disturbance is "StoreArchive" or "StoreLoad")
        {
            // The outage reached the run: a consumer gave up on the store (or the Connector on its interrupted download),
            // and the run waited and sent its command again. (A database restart is waited out too, but the saga's own
            // rows are in that database: it is the command's resend that carries the run over, not the fault.)
            Assert.True(outage > 0, "the outage cut no connection of the services");
            var retried = await system.Query<string>(
                $"SELECT coalesce(last_retry_reason, '') FROM ingest.bulk_sync_state WHERE correlation_id = '{runId}'");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(retried, "^(INFRASTRUCTURE_UNAVAILABLE|DOWNLOAD_INTERRUPTED): "),
                $"the run recorded no retry ('{retried}')\n{system.AllLogs()}");
        }
    }

    private async Task<int> KillAndRestart(string service)
    {
        await system.KillAndRestart(service);
        return 1;
    }

    /// <summary>The events a run publishes.</summary>
    private static readonly string[] RunEvents =
        ["GrowthOs.Contracts.Telemetry:SyncStepChanged", "GrowthOs.Contracts.Ingest:SyncCompleted", "GrowthOs.Contracts.Ingest:SyncFailed"];

    private static Func<IReadOnlyList<TappedMessage>, bool> HasCompleted(Guid runId) =>
        received => received.Any(m => m.RunId == runId && m.Is("SyncCompleted"));

    private async Task<Fingerprint> Reference()
    {
        await ReferenceLock.WaitAsync();
        try
        {
            if (_reference is not null) return _reference;
            await using var tap = await BusTap.Start(system.VirtualHost, RunEvents);
            using var http = system.GatewayClient();
            var runId = await system.StartSync(http, RunningSystem.ReferenceShop);
            var run = await system.WaitForRunToFinish(http, runId);
            Assert.Equal("completed", run.GetProperty("status").GetString());
            return _reference = await Fingerprint.Of(system, RunningSystem.ReferenceShop, await tap.WaitFor(HasCompleted(runId), TimeSpan.FromSeconds(30)), runId);
        }
        finally
        {
            ReferenceLock.Release();
        }
    }

    private static async Task<int> RestartBroker()
    {
        var (code, output) = await Processes.Script("deploy/local/infra.sh", "restart-broker");
        Assert.True(code == 0, $"restarting the broker failed:\n{output}");
        return 1;
    }

    /// <summary>
    /// What a completed sync leaves behind for a shop: rows, money, daily sales, the watermark, and the events its
    /// subscribers heard (the steps it went through, in order, and how many times each event id of its completion and
    /// failure came).
    /// </summary>
    private sealed record Fingerprint(long Orders, long LineItems, long TotalMinor, long RevenueMinorLast90Days, DateTime Watermark, string Events)
    {
        public static async Task<Fingerprint> Of(RunningSystem system, string shop, IReadOnlyList<TappedMessage> delivered, Guid runId)
        {
            var since = $"'{Since:O}'";
            var ofRun = delivered.Where(m => m.RunId == runId).ToList();
            var steps = ofRun.Where(m => m.Is("SyncStepChanged")).Select(m => m.Message.GetProperty("step").GetString()).Distinct();
            var ends = ofRun.Where(m => !m.Is("SyncStepChanged")).GroupBy(m => (m.MessageType, m.MessageId))
                .Select(g => $"{g.Key.MessageType.Split(':')[^1]}×{g.Count()}").Order(StringComparer.Ordinal);
            return new Fingerprint(
                await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}' AND updated_at >= {since}"),
                await system.Scalar($"""
                    SELECT count(*) FROM transform.order_line_item l JOIN transform.order_header o USING (shop_domain, order_id)
                    WHERE shop_domain = '{shop}' AND o.updated_at >= {since}
                    """),
                await system.Scalar($"SELECT coalesce(sum(total_minor), 0) FROM transform.order_header WHERE shop_domain = '{shop}' AND updated_at >= {since}"),
                await system.Scalar($"SELECT coalesce(sum(revenue_minor), 0) FROM transform.sales_metrics_daily WHERE shop_domain = '{shop}' AND date >= '{Since.AddDays(37):yyyy-MM-dd}'"),
                await system.Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{shop}'"),
                $"{string.Join(">", steps)} | {string.Join(", ", ends)}");
        }
    }
}
