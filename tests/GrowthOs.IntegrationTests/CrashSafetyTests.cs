using System.Diagnostics;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// A run disturbed mid-way — a service killed with SIGKILL and started again, the broker restarted, or the database
/// dropping every connection for a few seconds as in a restart — completes with
/// the same rows and the same watermark as an undisturbed run of a twin shop (same seed, same size).
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
    public async Task A_run_disturbed_mid_way_ends_like_an_undisturbed_one(string disturbance, string atStep)
    {
        var reference = await Reference();
        using var http = system.GatewayClient();
        var shop = RunningSystem.TwinShop(disturbance);
        var runId = await system.StartSync(http, shop);
        await system.WaitForStatus(http, runId, atStep);

        if (disturbance == "Broker") await RestartBroker();
        else if (disturbance == "Postgres") await system.InterruptDatabase(TimeSpan.FromSeconds(4));
        else await system.KillAndRestart(disturbance);

        var run = await system.WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.Equal(reference, await Fingerprint.Of(system, shop));
    }

    private async Task<Fingerprint> Reference()
    {
        await ReferenceLock.WaitAsync();
        try
        {
            if (_reference is not null) return _reference;
            using var http = system.GatewayClient();
            var run = await system.WaitForRunToFinish(http, await system.StartSync(http, RunningSystem.ReferenceShop));
            Assert.Equal("completed", run.GetProperty("status").GetString());
            return _reference = await Fingerprint.Of(system, RunningSystem.ReferenceShop);
        }
        finally
        {
            ReferenceLock.Release();
        }
    }

    private static async Task RestartBroker()
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryPaths.Root, "deploy", "local", "infra.sh"), "restart-broker"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"restarting the broker failed:\n{output}");
    }

    /// <summary>What a completed sync leaves behind for a shop: rows, money, daily sales, and the watermark.</summary>
    private sealed record Fingerprint(long Orders, long LineItems, long TotalMinor, long RevenueMinorLast90Days, DateTime Watermark)
    {
        public static async Task<Fingerprint> Of(RunningSystem system, string shop)
        {
            var since = $"'{Since:O}'";
            return new Fingerprint(
                await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}' AND updated_at >= {since}"),
                await system.Scalar($"""
                    SELECT count(*) FROM transform.order_line_item l JOIN transform.order_header o USING (shop_domain, order_id)
                    WHERE shop_domain = '{shop}' AND o.updated_at >= {since}
                    """),
                await system.Scalar($"SELECT coalesce(sum(total_minor), 0) FROM transform.order_header WHERE shop_domain = '{shop}' AND updated_at >= {since}"),
                await system.Scalar($"SELECT coalesce(sum(revenue_minor), 0) FROM transform.sales_metrics_daily WHERE shop_domain = '{shop}' AND date >= current_date - 90"),
                await system.Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{shop}'"));
        }
    }
}
