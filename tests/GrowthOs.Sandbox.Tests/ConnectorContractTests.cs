extern alias connector;

using connector::GrowthOs.Connector.Extraction;
using connector::GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Extraction;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Connector's own client and queries against the Sandbox's GraphQL server: every bulk query the Connector runs
/// passes the schema and Shopify's bulk rules, its file holds the lines the Connector reads, and a start whose answer
/// was lost is adopted rather than run twice.
/// </summary>
public sealed class ConnectorContractTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string Token = "shpat_sandbox_contract_token";
    private readonly SandboxHosts _sandbox = new();

    private (ShopifyGraphQlClient Client, HttpClient Http) Connect(string version, int durationMilliseconds)
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:BulkOperationDurationMilliseconds"] = durationMilliseconds.ToString(),
            ["Sandbox:Shops:0:AccessToken"] = Token,
        });
        var options = Options.Create(new ShopifyOptions
        {
            BaseUrlTemplate = $"{http.BaseAddress!.ToString().TrimEnd('/')}/{{shop}}",
            ApiVersion = version,
            Shops = [new ShopCredentials { Domain = Shop, AccessToken = Token }],
        });
        return (new ShopifyGraphQlClient(http, options, new ThrottleGate(TimeProvider.System), NullLogger<ShopifyGraphQlClient>.Instance), http);
    }

    [Theory]
    [InlineData(Entities.Orders)]
    [InlineData(Entities.Products)]
    [InlineData(Entities.Inventory)]
    [InlineData(Entities.Customers)]
    public async Task Each_bulk_query_of_the_connector_runs_and_its_file_has_the_lines_the_connector_counts(string entity)
    {
        var (client, http) = Connect("2026-01", durationMilliseconds: 0);
        var query = BulkQueries.For(entity, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), null, null);

        var id = await client.RunBulkQuery(Shop, query, CancellationToken.None);
        var operation = await client.GetBulkOperation(Shop, id, CancellationToken.None);

        Assert.Equal("COMPLETED", operation.Status);
        Assert.True(operation.ObjectCount > 0);
        var file = await http.GetByteArrayAsync(new Uri(operation.Url!).PathAndQuery);
        Assert.Equal(operation.FileSize, file.Length);
        var lines = System.Text.Encoding.UTF8.GetString(file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(operation.ObjectCount, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"__typename\":", line));
    }

    [Theory]
    [InlineData("2026-01")]
    [InlineData("2025-10")]
    public async Task A_start_whose_answer_was_lost_is_found_running_and_adopted(string version)
    {
        var (client, _) = Connect(version, durationMilliseconds: 60_000);
        var query = BulkQueries.For(Entities.Orders, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), null, null);
        var other = BulkQueries.For(Entities.Orders, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), null, null);

        Assert.Null(await client.FindRunningBulkQuery(Shop, query, CancellationToken.None));
        var lost = await client.RunBulkQuery(Shop, query, CancellationToken.None);

        Assert.Equal(lost, await client.FindRunningBulkQuery(Shop, query, CancellationToken.None));
        Assert.Null(await client.FindRunningBulkQuery(Shop, other, CancellationToken.None));
    }

    public void Dispose() => _sandbox.Dispose();
}
