using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>Each failure Shopify can answer with, played by the Sandbox over real HTTP, ends the run its own way.</summary>
[Collection(SystemCollection.Name)]
public sealed class ShopifyFailureTests(RunningSystem system)
{
    [Theory]
    [InlineData("OPERATION_IN_PROGRESS:2")]
    [InlineData("THROTTLED:3")]
    [InlineData("HTTP_503:2")]
    public async Task A_transient_refusal_is_waited_out_and_the_run_completes(string failure)
    {
        var run = await Sync(RunningSystem.FailingShop(failure));

        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.Contains(failure.Split(':')[0].Replace("HTTP_", "HTTP_"), run.GetProperty("last_retry_reason").GetString());
        Assert.True(run.GetProperty("counts").GetProperty("orders_upserted").GetInt64() > 0);
    }

    [Fact]
    public async Task A_missing_scope_fails_the_run_naming_the_scope()
    {
        var run = await Sync(RunningSystem.FailingShop("ACCESS_DENIED"));
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("requested", run.GetProperty("failed_step").GetString());
        Assert.Contains("ACCESS_DENIED", run.GetProperty("error").GetString());
        Assert.Contains("read_orders", run.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_failed_operation_with_partial_data_loads_it_ends_partial_and_leaves_the_watermark()
    {
        var shop = RunningSystem.FailingShop("FAILED_PARTIAL");
        var run = await Sync(shop);

        Assert.True(run.GetProperty("status").GetString() == "partial", $"run ended {run}\n{system.AllLogs()}");
        Assert.Equal("partial", run.GetProperty("steps").EnumerateArray().Last().GetProperty("step").GetString());
        var orders = run.GetProperty("counts").GetProperty("orders_upserted").GetInt64();
        Assert.True(orders > 0);
        Assert.Equal(orders, await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}'"));
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM ingest.shop_watermark WHERE shop_domain = '{shop}'"));
    }

    [Fact]
    public async Task An_expired_operation_fails_the_run_with_the_reason()
    {
        var run = await Sync(RunningSystem.FailingShop("EXPIRED"));
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("polling", run.GetProperty("failed_step").GetString());
        Assert.Contains("EXPIRED", run.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_rejected_token_fails_the_run_clearly_and_the_token_appears_nowhere()
    {
        var run = await Sync(RunningSystem.WrongTokenShop);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("UNAUTHORIZED", run.GetProperty("error").GetString());
        Assert.DoesNotContain(RunningSystem.WrongToken, run.ToString());
        // The run's failed step reaches its telemetry after the run's state: wait for it, so the scan below reads what it must.
        var runId = run.GetProperty("run_id").GetGuid();
        await system.WaitForScalar($"SELECT (count(*) > 0)::int FROM ingest.sync_telemetry WHERE run_id = '{runId}' AND status = 'failed'", 1,
            "the run's failed step in its telemetry");
        Assert.DoesNotContain(RunningSystem.WrongToken, system.AllLogs(int.MaxValue));
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM ingest.sync_telemetry WHERE error LIKE '%{RunningSystem.WrongToken}%'"));
    }

    private async Task<JsonElement> Sync(string shop)
    {
        using var http = system.GatewayClient();
        var run = await system.WaitForRunToFinish(http, await system.StartSync(http, shop));
        return run;
    }
}
