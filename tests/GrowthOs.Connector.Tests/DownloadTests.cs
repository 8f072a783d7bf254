using System.Net;
using GrowthOs.Connector.Extraction;
using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Extraction;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>
/// The result download: its URL asked of Shopify when it is needed (no message carries it), fetched only over https
/// from an allowed host, and abandoned when it stalls. Archived in the real object store.
/// </summary>
public sealed class DownloadTests
{
    private const string Shop = "download-shop.myshopify.com";
    private const string Operation = "gid://shopify/BulkOperation/880011";
    private const string Signed = "X-Goog-Signature=0badc0ffee";

    private static string Node(string status, string? url)
    {
        var address = url is null ? "null" : $"\"{url}\"";
        return $$$$$"""
            {"data":{"node":{"id":"{{{{{Operation}}}}}","status":"{{{{{status}}}}}","errorCode":null,"objectCount":"2","rootObjectCount":"2","fileSize":"20",
            "url":{{{{{address}}}}},"partialDataUrl":null}},
            "extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,
              "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1999,"restoreRate":100.0}}}}
            """;
    }


    [Theory]
    [InlineData("https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/x.jsonl", null)]
    [InlineData("https://STORAGE.googleapis.com/x.jsonl", null)]
    [InlineData("http://storage.googleapis.com/x.jsonl", "not https")]
    [InlineData("https://attacker.example/x.jsonl", "not one of Shopify:DownloadHosts")]
    [InlineData("https://storage.googleapis.com.attacker.example/x.jsonl", "not one of Shopify:DownloadHosts")]
    [InlineData("https://storage.googleapis.com:8443/x.jsonl", "not one of Shopify:DownloadHosts")]
    [InlineData("file:///etc/passwd", "not https")]
    [InlineData("storage.googleapis.com/x.jsonl", "not an absolute URL")]
    public void Only_https_urls_on_an_allowed_host_are_downloaded(string url, string? refusal)
    {
        var options = new ShopifyOptions { DownloadHosts = ["storage.googleapis.com"] };
        var answer = options.DownloadRefusal(url);
        if (refusal is null) Assert.Null(answer);
        else Assert.Contains(refusal, answer);
    }

    [Fact]
    public void Plain_http_is_allowed_only_when_set_and_a_port_only_when_listed()
    {
        var options = new ShopifyOptions { DownloadHosts = ["127.0.0.1:8090"], AllowHttpDownloads = true };
        Assert.Null(options.DownloadRefusal("http://127.0.0.1:8090/demo-shop.myshopify.com/bulk-results/1.jsonl"));
        Assert.Contains("127.0.0.1:9999", options.DownloadRefusal("http://127.0.0.1:9999/x.jsonl"));
    }

    [Fact]
    public async Task The_url_shopify_answers_now_is_downloaded_and_archived()
    {
        var downloads = new Downloads(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"a\":1}\n{\"b\":2}\n") });
        await using var test = await Archive(Node("COMPLETED", $"https://storage.googleapis.com/out/1.jsonl?{Signed}"), downloads);

        var archived = await test.Single<BulkResultArchived>();
        Assert.Equal((2L, 16L), (archived.Lines, archived.Bytes));
        Assert.Equal($"https://storage.googleapis.com/out/1.jsonl?{Signed}", Assert.Single(downloads.Requested).ToString());
        Assert.Equal("{\"a\":1}\n{\"b\":2}\n", await LocalInfrastructure.ReadObject(test.Bucket, archived.ArchiveKey));
    }

    [Theory]
    [InlineData("https://attacker.example/out.jsonl", "attacker.example")]
    [InlineData("http://storage.googleapis.com/out.jsonl", "http, not https")]
    public async Task A_url_off_the_allowed_hosts_fails_the_entity_without_a_request_or_the_url_in_its_reason(string url, string named)
    {
        var downloads = new Downloads(_ => throw new InvalidOperationException("no request may be made"));
        await using var test = await Archive(Node("COMPLETED", $"{url}?{Signed}"), downloads);

        var failed = await test.Single<BulkExtractionFailed>();
        Assert.Equal("DOWNLOAD_REFUSED", failed.ErrorCode);
        Assert.Contains(named, failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Signed, failed.Reason, StringComparison.Ordinal);
        Assert.Empty(downloads.Requested);
        Assert.False(await test.Harness.Published.Any<BulkResultArchived>());
    }

    [Fact]
    public async Task A_download_that_stalls_is_abandoned_after_the_read_timeout_and_tried_again_later()
    {
        var downloads = new Downloads(_ =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream("{\"a\":1}\n"u8.ToArray())) });
        await using var test = await Archive(Node("COMPLETED", "https://storage.googleapis.com/out/stall.jsonl"), downloads, readTimeoutSeconds: 1);

        var deferred = await test.Single<BulkExtractionDeferred>();
        Assert.Equal("DOWNLOAD_INTERRUPTED", deferred.ErrorCode);
        Assert.Contains("received nothing for 1 s", deferred.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_failing_while_the_download_is_written_faults_the_command_and_is_not_called_an_interrupted_download()
    {
        var downloads = new Downloads(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"a\":1}\n") });
        // A store that refuses every connection.
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var test = await Archive(Node("COMPLETED", "https://storage.googleapis.com/out/1.jsonl"), downloads, storeUrl: $"http://127.0.0.1:{port}");

        Assert.True(await test.Harness.Published.Any<Fault<ArchiveBulkOperationResult>>(), "the store's failure did not fault the command");
        Assert.Single(downloads.Requested);
        Assert.False(await test.Harness.Published.Any<BulkExtractionDeferred>(), "the store's failure was reported as the download's");
        Assert.False(await test.Harness.Published.Any<BulkResultArchived>());
    }

    [Fact]
    public async Task An_operation_that_has_not_finished_has_nothing_to_download()
    {
        var downloads = new Downloads(_ => throw new InvalidOperationException("no request may be made"));
        await using var test = await Archive(Node("RUNNING", null), downloads);

        Assert.Equal("NOT_FINISHED", (await test.Single<BulkExtractionFailed>()).ErrorCode);
        Assert.Empty(downloads.Requested);
    }

    private static async Task<ArchiveTest> Archive(string shopifyAnswer, Downloads downloads, int readTimeoutSeconds = 60, string? storeUrl = null)
    {
        var bucket = LocalInfrastructure.NewBucketName("downloads");
        var services = new ServiceCollection()
            .AddLogging()
            .AddShopifyAnswering(Shop, "shpat_download", HttpStatusCode.OK, shopifyAnswer, options =>
            {
                options.DownloadHosts = ["storage.googleapis.com"];
                options.DownloadReadTimeoutSeconds = readTimeoutSeconds;
            })
            .AddSingleton(new ObjectStore(LocalInfrastructure.S3Client(storeUrl),
                Options.Create(new S3Options { ServiceUrl = storeUrl ?? LocalInfrastructure.S3ServiceUrl, Bucket = bucket })));
        services.AddHttpClient(ArchiveBulkOperationResultConsumer.DownloadClient).ConfigurePrimaryHttpMessageHandler(() => downloads);
        var provider = services.AddMassTransitTestHarness(bus => bus.AddConsumer<ArchiveBulkOperationResultConsumer>()).BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await harness.Start();
        await harness.Bus.Publish(new ArchiveBulkOperationResult(Guid.NewGuid(), Shop, "orders", Operation));
        Assert.True(await harness.Consumed.Any<ArchiveBulkOperationResult>());
        return new ArchiveTest(provider, harness, bucket);
    }

    private sealed record ArchiveTest(ServiceProvider Provider, ITestHarness Harness, string Bucket) : IAsyncDisposable
    {
        public async Task<T> Single<T>() where T : class =>
            Assert.Single(await Harness.Published.SelectAsync<T>().ToListAsync()).Context.Message;

        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }


    private sealed class Downloads(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Uri> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!);
            return Task.FromResult(answer(request));
        }
    }

    /// <summary>Gives its bytes, then never another: a connection left open with nothing arriving.</summary>
    private sealed class StallingStream(byte[] first) : Stream
    {
        private bool _given;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_given)
            {
                _given = true;
                first.CopyTo(buffer);
                return first.Length;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
