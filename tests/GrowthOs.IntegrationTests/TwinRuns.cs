using System.Runtime.CompilerServices;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// A run disturbed mid-way against the yardstick of an undisturbed run of a twin shop (same seed, same size) on the same
/// running system: it must end with the same rows, the same watermark and the same events, and leave no message in an
/// error queue. The undisturbed run is made once per system, by the first test that needs it.
/// </summary>
public sealed class TwinRuns
{
    private static readonly ConditionalWeakTable<RunningSystem, TwinRuns> OfSystem = new();

    /// <summary>
    /// Each run reads from its own "now minus 128 days", seconds apart; orders updated near that floor may be in one run
    /// and not the other. Runs are compared on the orders updated after a fixed point a day inside the floor.
    /// </summary>
    private static readonly DateTime Since = DateTime.UtcNow.AddDays(-127);

    /// <summary>The events a run publishes.</summary>
    private static readonly string[] RunEvents =
        ["GrowthOs.Contracts.Telemetry:SyncStepChanged", "GrowthOs.Contracts.Ingest:SyncCompleted", "GrowthOs.Contracts.Ingest:SyncFailed"];

    private readonly RunningSystem _system;
    private readonly SemaphoreSlim _referenceLock = new(1, 1);
    private Fingerprint? _reference;

    private TwinRuns(RunningSystem system) => _system = system;

    public static TwinRuns Of(RunningSystem system) => OfSystem.GetValue(system, s => new TwinRuns(s));

    /// <summary>
    /// Syncs the twin shop of <paramref name="disturbance"/>, runs <paramref name="disturb"/> once the run has reached
    /// <paramref name="atStep"/>, and holds the run to the yardstick. Returns what <paramref name="disturb"/> returned
    /// (how many sessions or connections it cut) and the run's id.
    /// </summary>
    public async Task<(int Outage, Guid RunId)> EndsLikeAnUndisturbedRun(string disturbance, string atStep, Func<Task<int>> disturb)
    {
        var reference = await Reference();
        await using var tap = await BusTap.Start(_system, RunEvents);
        using var http = _system.GatewayClient();
        var shop = RunningSystem.TwinShop(disturbance);
        var errorsBefore = await BusTap.ErrorQueues(_system);
        var runId = await _system.StartSync(http, shop);
        await _system.WaitForStatus(http, runId, atStep);

        var outage = await disturb();

        var run = await _system.WaitForRunToFinish(http, runId, seconds: 300);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{_system.AllLogs()}");
        Assert.Equal(reference, await Fingerprint.Of(_system, shop, await tap.WaitFor(HasCompleted(runId), TimeSpan.FromSeconds(30)), runId));
        // No error queue gained a message: one reaching a saga while its database was down is retried until the database is
        // back, and a consumer that gives up on the infrastructure faults (its Fault makes the run wait and send the command
        // again) keeps no copy of a message that needs no one.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var errorsAfter = await BusTap.ErrorQueues(_system);
        var errors = errorsAfter.Where(queue => queue.Value > errorsBefore.GetValueOrDefault(queue.Key))
            .Select(queue => $"{queue.Key}: {queue.Value}").ToList();
        Assert.True(errors.Count == 0, $"messages reached an error queue: {string.Join(", ", errors)}\n{_system.AllLogs()}");
        return (outage, runId);
    }

    private static Func<IReadOnlyList<TappedMessage>, bool> HasCompleted(Guid runId) =>
        received => received.Any(m => m.RunId == runId && m.Is("SyncCompleted"));

    private async Task<Fingerprint> Reference()
    {
        await _referenceLock.WaitAsync();
        try
        {
            if (_reference is not null) return _reference;
            await using var tap = await BusTap.Start(_system, RunEvents);
            using var http = _system.GatewayClient();
            var runId = await _system.StartSync(http, _system.TwinReference);
            var run = await _system.WaitForRunToFinish(http, runId);
            Assert.Equal("completed", run.GetProperty("status").GetString());
            return _reference = await Fingerprint.Of(_system, _system.TwinReference, await tap.WaitFor(HasCompleted(runId), TimeSpan.FromSeconds(30)), runId);
        }
        finally
        {
            _referenceLock.Release();
        }
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
                await system.Scalar($"SELECT coalesce(sum(revenue_minor), 0) FROM transform.sales_metrics_daily WHERE shop_domain = '{shop}' "
                    + $"AND date >= '{Since.AddDays(37):yyyy-MM-dd}'"),
                await system.Query<DateTime>($"SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = '{shop}'"),
                $"{string.Join(">", steps)} | {string.Join(", ", ends)}");
        }
    }
}
