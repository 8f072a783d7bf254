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

    private static (ShopifyGraphQlClient Client, RecordingHandler Handler) Client(HttpStatusCode status, string body, string mediaType = "application/json",
        string? retryAfter = null)
    {
        var handler = new RecordingHandler(status, body, mediaType, retryAfter);
        var options = Options.Create(new ShopifyOptions
        {
            BaseUrlTemplate = "https://{shop}",
            ApiVersion = "2026-01",
            Shops = [new ShopCredentials { Domain = Shop, AccessToken = Token }],
        });
        return (new ShopifyGraphQlClient(new HttpClient(handler), options, new ThrottleGate(TimeProvider.System), NullLogger<ShopifyGraphQlClient>.Instance),
            handler);
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
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal("OPERATION_IN_PROGRESS", exception.Code);
        Assert.True(exception.Transient);
    }

    [Fact]
    public async Task Throttling_is_transient()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("throttled.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("THROTTLED", true), (exception.Code, exception.Transient));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Rate_limits_and_server_errors_are_transient(HttpStatusCode status)
    {
        var (client, _) = Client(status, "");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.True(exception.Transient);
    }

    [Fact]
    public async Task A_missing_scope_is_a_permanent_refusal_that_names_the_scope()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("access_denied.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("ACCESS_DENIED", false), (exception.Code, exception.Transient));
        Assert.Contains("read_orders", exception.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_rejected_token_fails_clearly_without_ever_showing_the_token(HttpStatusCode status)
    {
        var (client, _) = Client(status, """{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}""");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("UNAUTHORIZED", false), (exception.Code, exception.Transient));
        Assert.Contains(Shop, exception.Message);
        Assert.DoesNotContain(Token, exception.ToString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_clear_error()
    {
        var (client, _) = Client(HttpStatusCode.OK, "<html>maintenance</html>");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.Equal("MALFORMED_RESPONSE", exception.Code);
    }

    [Fact]
    public async Task Throttling_without_an_error_code_is_recognised_by_Shopifys_message_and_is_transient()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("throttled_without_code.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("THROTTLED", true), (exception.Code, exception.Transient));
    }

    [Fact]
    public async Task A_bulk_query_in_progress_with_a_null_code_is_recognised_by_its_message_and_is_transient()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("bulk_operation_in_progress_null_code.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("OPERATION_IN_PROGRESS", true), (exception.Code, exception.Transient));
    }

    [Fact]
    public async Task A_query_over_the_single_query_cost_limit_is_a_permanent_refusal_that_says_so()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("max_cost_exceeded.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.Equal(("MAX_COST_EXCEEDED", false), (exception.Code, exception.Transient));
        Assert.Contains("costs more than Shopify allows in one request", exception.Message);
        Assert.Contains("1723", exception.Message);
    }

    [Theory]
    [InlineData("2.0", 2.0)]
    [InlineData("7", 7.0)]
    [InlineData("86400", 3600.0)]
    public async Task A_429_carries_the_wait_Shopify_asked_for_in_Retry_After(string header, double seconds)
    {
        var (client, _) = Client(HttpStatusCode.TooManyRequests,
            """{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}""", retryAfter: header);
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.Equal(("HTTP_429", true), (exception.Code, exception.Transient));
        Assert.Equal(TimeSpan.FromSeconds(seconds), exception.RetryAfter);
    }

    [Fact]
    public async Task A_429_without_Retry_After_leaves_the_wait_to_the_backoff()
    {
        var (client, _) = Client(HttpStatusCode.TooManyRequests, "");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.Null(exception.RetryAfter);
    }

    [Fact]
    public async Task An_html_error_page_is_a_transient_failure_named_as_such_and_never_parsed()
    {
        var (client, _) = Client(HttpStatusCode.BadGateway, Fixture("bad_gateway.html"), mediaType: "text/html");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/1", CancellationToken.None));
        Assert.Equal(("HTTP_502", true), (exception.Code, exception.Transient));
        Assert.Contains("an HTML page", exception.Message);
        Assert.DoesNotContain("<html", exception.Message);
    }

    [Fact]
    public async Task A_field_of_an_unexpected_type_is_a_clear_permanent_error()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("bulk_operation_unexpected_type.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/720918", CancellationToken.None));
        Assert.Equal(("MALFORMED_RESPONSE", false), (exception.Code, exception.Transient));
        Assert.Contains("objectCount", exception.Message);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task A_bulk_query_answer_of_an_unexpected_type_fails_once_without_sending_the_mutation_again()
    {
        var (client, handler) = Client(HttpStatusCode.OK,
            """{"data":{"bulkOperationRunQuery":{"bulkOperation":{"id":720918,"status":"CREATED"},"userErrors":[]}}}""");
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal(("MALFORMED_RESPONSE", false), (exception.Code, exception.Transient));
        Assert.Contains("bulkOperation.id", exception.Message);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task A_field_the_api_version_does_not_know_is_a_permanent_error_naming_it()
    {
        var (client, _) = Client(HttpStatusCode.OK, Fixture("undefined_field.json"));
        var exception = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.GetBulkOperation(Shop, "gid://shopify/BulkOperation/720918", CancellationToken.None));
        Assert.False(exception.Transient);
        Assert.Contains("definitelyNotAnOrderField", exception.Message);
    }

    [Fact]
    public async Task A_running_operation_of_the_same_query_is_adopted_whatever_its_layout()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("bulk_operations_running.json"));
        var query = "{ orders(query: \"updated_at:>='2026-07-17T06:00:00Z'\", sortKey: UPDATED_AT) { edges { node { id } } } }";

        Assert.Equal("gid://shopify/BulkOperation/720918", await client.FindRunningBulkQuery(Shop, query, CancellationToken.None));
        Assert.Contains("bulkOperations(first: 10", handler.Body);
        Assert.Null(await client.FindRunningBulkQuery(Shop, "{ customers { edges { node { id } } } }", CancellationToken.None));
    }

    [Fact]
    public async Task A_webhook_subscription_is_created_with_uri_and_an_address_already_taken_is_no_error()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("webhook_subscription_create.json"));
        Assert.Equal("gid://shopify/WebhookSubscription/1924089413938",
            await client.SubscribeToBulkOperationsFinish(Shop, "https://growth.example.com/webhooks/shopify", CancellationToken.None));
        using var body = JsonDocument.Parse(handler.Body!);
        var variables = body.RootElement.GetProperty("variables");
        Assert.Equal("BULK_OPERATIONS_FINISH", variables.GetProperty("topic").GetString());
        Assert.Equal("https://growth.example.com/webhooks/shopify", variables.GetProperty("webhookSubscription").GetProperty("uri").GetString());

        var (taken, _) = Client(HttpStatusCode.OK, Fixture("webhook_address_taken.json"));
        Assert.Null(await taken.SubscribeToBulkOperationsFinish(Shop, "https://growth.example.com/webhooks/shopify", CancellationToken.None));
    }

    private sealed class RecordingHandler(HttpStatusCode status, string body, string mediaType = "application/json", string? retryAfter = null)
        : HttpMessageHandler
    {
        public int Requests { get; private set; }

        public HttpRequestMessage? Request { get; private set; }
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Requests++;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return response;
        }
    }
}
