using System.Net;
using System.Text;
using System.Text.Json;
using GrowthOs.Connector.Extraction;
using GrowthOs.Connector.Shopify;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>The Connector's requests and parsing held against responses in the shape Shopify documents.</summary>
public sealed class ShopifyGraphQlClientTests
{
    private const string Shop = "contract-shop.myshopify.com";
    private const string Token = "shpat_secret_contract_token_value";

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static (ShopifyGraphQlClient Client, RecordingHandler Handler) Client(HttpStatusCode status, string body)
    {
        var handler = new RecordingHandler(status, body);
        var options = Options.Create(new ShopifyOptions
        {
            BaseUrlTemplate = "https://{shop}",
            ApiVersion = "2026-01",
            Shops = [new ShopCredentials { Domain = Shop, AccessToken = Token }],
        });
        return (new ShopifyGraphQlClient(new HttpClient(handler), options, new ThrottleGate(TimeProvider.System), NullLogger<ShopifyGraphQlClient>.Instance), handler);
    }

    [Fact]
    public async Task A_bulk_query_is_posted_to_the_versioned_admin_endpoint_with_the_token_header()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("bulk_operation_run_query.json"));
        var query = BulkQueries.For("orders", new DateTimeOffset(2026, 7, 17, 6, 0, 0, TimeSpan.Zero));

        var id = await client.RunBulkQuery(Shop, query, CancellationToken.None);

        Assert.Equal("gid://shopify/BulkOperation/720918", id);
        Assert.Equal($"https://{Shop}/admin/api/2026-01/graphql.json", handler.Request!.RequestUri!.ToString());
        Assert.Equal(HttpMethod.Post, handler.Request.Method);
        Assert.Equal(Token, handler.Request.Headers.GetValues("X-Shopify-Access-Token").Single());
        using var body = JsonDocument.Parse(handler.Body!);
        Assert.Contains("bulkOperationRunQuery(query: $query)", body.RootElement.GetProperty("query").GetString());
        Assert.Contains("updated_at:>='2026-07-17T06:00:00Z'", body.RootElement.GetProperty("variables").GetProperty("query").GetString());
    }

    [Fact]
    public async Task Every_field_of_a_bulk_operation_is_read()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("bulk_operation_completed.json"));

        var operation = await client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/720918", CancellationToken.None);

        Assert.Equal(("COMPLETED", 16L, 4L, 6045L), (operation.Status, operation.ObjectCount, operation.RootObjectCount, operation.FileSize));
        Assert.StartsWith("https://storage.googleapis.com/", operation.Url);
        Assert.Null(operation.PartialDataUrl);
        Assert.False(operation.IsRunning);
        Assert.Contains("\"id\":\"gid://shopify/BulkOperation/720918\"", handler.Body);
    }

    [Fact]
    public async Task Another_bulk_query_in_progress_is_a_distinct_transient_refusal()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("bulk_operation_in_progress.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal("OPERATION_IN_PROGRESS", exception.Code);
        Assert.True(exception.Transient);
    }

    [Fact]
    public async Task Throttling_is_transient()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("throttled.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("THROTTLED", true), (exception.Code, exception.Transient));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Rate_limits_and_server_errors_are_transient(HttpStatusCode status)
    {
        var (client, _) = Client(status, "");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(() => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.True(exception.Transient);
    }

    [Fact]
    public async Task A_missing_scope_is_a_permanent_refusal_that_names_the_scope()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("access_denied.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("ACCESS_DENIED", false), (exception.Code, exception.Transient));
        Assert.Contains("read_orders", exception.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_rejected_token_fails_clearly_without_ever_showing_the_token(HttpStatusCode status)
    {
        var (client, _) = Client(status, """{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}""");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(() => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("UNAUTHORIZED", false), (exception.Code, exception.Transient));
        Assert.Contains(Shop, exception.Message);
        Assert.DoesNotContain(Token, exception.ToString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_clear_error()
    {
        var (client, _) = Client(HttpStatusCode.OK, "<html>maintenance</html>");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(() => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.Equal("MALFORMED_RESPONSE", exception.Code);
    }

    private sealed class RecordingHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
