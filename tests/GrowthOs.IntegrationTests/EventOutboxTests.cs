namespace GrowthOs.IntegrationTests;

/// <summary>
/// A run's events are saved with its saga row and published from there: an Ingest-Saga killed after saving and before
/// publishing loses none of them.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EventOutboxTests(RunningSystem system)
{
    [Fact]
    public async Task Events_saved_but_not_yet_published_when_the_ingest_saga_is_killed_are_all_delivered_once_each_after_its_restart()
    {
        await using var tap = await BusTap.Start(system,
            "GrowthOs.Contracts.Telemetry:SyncStepChanged", "GrowthOs.Contracts.Ingest:SyncCompleted", "GrowthOs.Contracts.Ingest:SyncFailed");
        using var http = system.GatewayClient();

        // Every replica saves its runs' events and publishes none: each event is caught between its save and its publish.
        await system.KillAndRestart("IngestSaga", new Dictionary<string, string> { ["SagaEvents__Publish"] = "false" });
        Guid runId;
        System.Text.Json.JsonElement run;
        try
        {
            runId = await system.StartSync(http, RunningSystem.OutboxShop, ["customers"]);
            run = await system.WaitForRunToFinish(http, runId);
            Assert.Equal("completed", run.GetProperty("status").GetString());

            var saved = await system.Scalar($"SELECT count(*) FROM ingest.saga_event_outbox WHERE run_id = '{runId}' AND published_at IS NULL");
            var steps = run.GetProperty("steps").GetArrayLength();
            Assert.Equal(steps + 1, saved);
            Assert.DoesNotContain(await tap.Received(), m => m.RunId == runId);
        }
        finally
        {
            // SIGKILL with the events unpublished, and a start with the publisher on.
            await system.KillAndRestart("IngestSaga");
        }

        var stepNames = run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()).ToList();
        var delivered = await tap.WaitFor(
            received => received.Count(m => m.RunId == runId) >= stepNames.Count + 1, TimeSpan.FromSeconds(60));
        var ofRun = delivered.Where(m => m.RunId == runId).ToList();

        Assert.Equal(stepNames, ofRun.Where(m => m.Is("SyncStepChanged")).Select(m => m.Message.GetProperty("step").GetString()));
        Assert.Single(ofRun, m => m.Is("SyncCompleted"));
        Assert.DoesNotContain(ofRun, m => m.Is("SyncFailed"));
        Assert.Equal(ofRun.Count, ofRun.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(
            (await system.Query<string>($"SELECT string_agg(event_id::text, ',' ORDER BY event_id) FROM ingest.saga_event_outbox WHERE run_id = '{runId}'"))
                .Split(','),
            ofRun.Select(m => m.MessageId.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM ingest.saga_event_outbox WHERE run_id = '{runId}' AND published_at IS NULL"));

        // The subscribers heard them: the KPI/Alert service's copy of the run's steps becomes whole (from its own queue, in its own time).
        await system.WaitForScalar($"SELECT count(DISTINCT step) FROM kpi.sync_step WHERE run_id = '{runId}'", stepNames.Distinct().Count(),
            "the KPI/Alert service's copy of the run's steps");

        // Nothing more arrives later: each event was delivered once.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(ofRun.Count, (await tap.Received()).Count(m => m.RunId == runId));
    }
}
