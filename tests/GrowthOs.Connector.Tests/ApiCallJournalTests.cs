using System.Net;
using GrowthOs.Connector.Extraction;
using GrowthOs.Connector.Telemetry;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Telemetry;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthOs.Connector.Tests;

/// <summary>The calls a command made are published with its run, whatever the command's outcome, and never carry a token.</summary>
public sealed class ApiCallJournalTests
{
    private const string Shop = "journal-shop.myshopify.com";
    private const string Token = "shpat_journal_secret";
    private const string Operation = "gid://shopify/BulkOperation/1";

    private static async Task<(ITestHarness Harness, Guid RunId)> Poll(HttpStatusCode status, string body)
    {
        var provider = new ServiceCollection()
            .AddLogging()
            .AddShopifyAnswering(Shop, Token, status, body)
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<PollBulkOperationConsumer>();
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.UseConsumeFilter(typeof(ApiCallJournalFilter<>), context);
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await harness.Start();
        var runId = Guid.NewGuid();
        await harness.Bus.Publish(new PollBulkOperation(runId, Shop, "orders", Operation, 1));
        return (harness, runId);
    }

    [Fact]
    public async Task A_poll_publishes_its_call_with_the_run_the_status_the_records_and_the_share_of_the_throttle_bucket_used()
    {
        var (harness, runId) = await Poll(HttpStatusCode.OK, """
            {"data":{"node":{"id":"gid://shopify/BulkOperation/1","status":"RUNNING","errorCode":null,"objectCount":"120","rootObjectCount":"30",
            "fileSize":null,"url":null,"partialDataUrl":null}},
            "extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,
              "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1500,"restoreRate":100.0}}}}
            """);
        var recorded = (await harness.Published.SelectAsync<ApiCallsRecorded>().First()).Context.Message;
        Assert.Equal((runId, Shop), (recorded.RunId, recorded.ShopDomain));
        var call = Assert.Single(recorded.Calls);
        // Usage: 1 − 1,500 / 2,000 available = 25 %.
        Assert.Equal(("shopify", "bulkOperation", 200, 120L, false, (string?)null, 25m),
            (call.Source, call.Endpoint, call.HttpStatus, call.Records, call.Throttled, call.ErrorCode, call.UsagePercent));
    }

    [Fact]
    public async Task A_throttled_answer_is_published_as_throttled_even_though_the_command_is_deferred()
    {
        var (harness, runId) = await Poll(HttpStatusCode.TooManyRequests, "Too many requests");
        Assert.True(await harness.Published.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId));
        var call = Assert.Single((await harness.Published.SelectAsync<ApiCallsRecorded>().First()).Context.Message.Calls);
        Assert.Equal((429, true, "THROTTLED"), (call.HttpStatus, call.Throttled, call.ErrorCode));
        Assert.DoesNotContain(Token, System.Text.Json.JsonSerializer.Serialize(call));
    }

}
