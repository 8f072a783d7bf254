namespace GrowthOs.IntegrationTests;

/// <summary>
/// A run disturbed mid-way — a service killed with SIGKILL and started again, the database server restarted (shut down
/// fast, down for 10 s, started again), or the object store down for 60 s during the archive or during the load —
/// completes with the same rows, the same watermark and the same events as an undisturbed run of a twin shop (same
/// seed, same size). The broker's faults are <see cref="BrokerFaultTests"/>', on a broker of their own.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CrashSafetyTests(RunningSystem system)
{
    [Theory]
    [InlineData("Connector", "polling")]
    [InlineData("Transform", "upserting")]
    [InlineData("IngestSaga", "polling")]
    [InlineData("KpiAlert", "upserting")]
    [InlineData("ApiGateway", "polling")]
    [InlineData("Sandbox", "polling")]
    [InlineData("Postgres", "upserting")]
    [InlineData("StoreArchive", "downloading")]
    [InlineData("StoreLoad", "upserting")]
    public async Task A_run_disturbed_mid_way_ends_like_an_undisturbed_one(string disturbance, string atStep)
    {
        var (outage, runId) = await TwinRuns.Of(system).EndsLikeAnUndisturbedRun(disturbance, atStep, Disturb);

        if (disturbance == "Postgres") Assert.True(outage > 0, "the restart ended no session of the services");
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

        async Task<int> Disturb()
        {
            switch (disturbance)
            {
                case "Postgres":
                    return await system.RestartDatabase(TimeSpan.FromSeconds(10));
                case "StoreArchive" or "StoreLoad":
                    return await system.TakeStoreDown(TimeSpan.FromSeconds(60));
                default:
                    await system.KillAndRestart(disturbance);
                    return 1;
            }
        }
    }
}
