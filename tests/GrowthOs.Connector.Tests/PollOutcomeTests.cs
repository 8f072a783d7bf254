using System.Net;
using GrowthOs.Connector.Extraction;
using GrowthOs.Contracts.Extraction;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthOs.Connector.Tests;

/// <summary>Each status Shopify can report for a bulk operation becomes its own outcome for the saga.</summary>
public sealed class PollOutcomeTests
{
    private const string Shop = "poll-shop.myshopify.com";
    private const string Operation = "gid://shopify/BulkOperation/720918";

    private static string Node(string status, string? errorCode = null, string? url = null, string? partialDataUrl = null) => $$$$$"""
        {"data":{"node":{"id":"{{{{{Operation}}}}}","status":"{{{{{status}}}}}","errorCode":{{{{{Json(errorCode)}}}}},"objectCount":"16","rootObjectCount":"4",
        "fileSize":"6045","url":{{{{{Json(url)}}}}},"partialDataUrl":{{{{{Json(partialDataUrl)}}}}}}},
        "extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,
          "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1999,"restoreRate":100.0}}}}
        """;

    private static string Json(string? value) => value is null ? "null" : $"\"{value}\"";

    private static async Task<ITestHarness> Poll(string response)
    {
        var provider = new ServiceCollection()
            .AddLogging()
            .AddShopifyAnswering(Shop, "shpat_poll", HttpStatusCode.OK, response)
            .AddMassTransitTestHarness(bus => bus.AddConsumer<PollBulkOperationConsumer>())
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await harness.Start();
        await harness.Bus.Publish(new PollBulkOperation(Guid.NewGuid(), Shop, "orders", Operation, 3));
        Assert.True(await harness.Consumed.Any<PollBulkOperation>());
        return harness;
    }

    [Theory]
    [InlineData("CREATED")]
    [InlineData("RUNNING")]
    [InlineData("CANCELING")]
    public async Task An_operation_not_finished_is_still_running(string status)
    {
        var harness = await Poll(Node(status));
        var running = (await harness.Published.SelectAsync<BulkOperationStillRunning>().First()).Context.Message;
        Assert.Equal((status, 16L, 3), (running.Status, running.ObjectCount, running.Attempt));
    }

    [Fact]
    public async Task A_completed_operation_gives_its_counts_but_never_its_signed_url()
    {
        var harness = await Poll(Node("COMPLETED", url: "https://storage.example/out.jsonl?X-Goog-Signature=abc"));
        var completed = (await harness.Published.SelectAsync<BulkOperationCompleted>().First()).Context.Message;
        Assert.Equal((16L, 4L, 6045L, false), (completed.ObjectCount, completed.RootObjectCount, completed.FileSize, completed.Partial));
        Assert.DoesNotContain("storage.example", System.Text.Json.JsonSerializer.Serialize(completed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INTERNAL_SERVER_ERROR")]
    [InlineData("TIMEOUT")]
    public async Task A_failed_operation_with_partial_data_is_salvaged_and_marked_partial(string errorCode)
    {
        var harness = await Poll(Node("FAILED", errorCode, partialDataUrl: "https://storage.example/partial.jsonl"));
        var completed = (await harness.Published.SelectAsync<BulkOperationCompleted>().First()).Context.Message;
        Assert.Equal((true, errorCode), (completed.Partial, completed.ErrorCode));
        Assert.DoesNotContain("storage.example", System.Text.Json.JsonSerializer.Serialize(completed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FAILED", "TIMEOUT", "TIMEOUT")]
    [InlineData("CANCELED", null, "CANCELED")]
    [InlineData("EXPIRED", null, "EXPIRED")]
    public async Task An_operation_that_ended_without_data_fails_with_the_reason(string status, string? errorCode, string expectedCode)
    {
        var harness = await Poll(Node(status, errorCode));
        var failed = (await harness.Published.SelectAsync<BulkExtractionFailed>().First()).Context.Message;
        Assert.Equal(expectedCode, failed.ErrorCode);
        Assert.Contains($"ended {status}", failed.Reason);
        Assert.False(await harness.Published.Any<BulkOperationCompleted>());
    }

}
