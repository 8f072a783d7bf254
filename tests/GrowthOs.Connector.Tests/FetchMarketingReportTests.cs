using System.Runtime.CompilerServices;
using System.Text.Json;
using GrowthOs.Connector.Marketing;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>The fetch command's consumer over the real S3-compatible server, on the in-memory bus, with a scripted source.</summary>
public sealed class FetchMarketingReportTests : IAsyncLifetime
{
    private const string Shop = "fetch-shop.myshopify.com";
    private static readonly DateOnly Since = new(2026, 10, 1), Until = new(2026, 10, 31);
    private readonly ScriptedSource _source = new();
    private ObjectStore _store = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _store = new ObjectStore(LocalInfrastructure.S3Client(),
            Options.Create(new S3Options { ServiceUrl = LocalInfrastructure.S3ServiceUrl, Bucket = LocalInfrastructure.NewBucketName("fetch") }));
        await _store.EnsureBucket(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_store)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IMarketingSource>(_source)
            .AddMassTransitTestHarness(bus => bus.AddConsumer<FetchMarketingReportConsumer>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(20);
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    private async Task<T> Answer<T>(Guid runId) where T : class =>
        (await _harness.Published.SelectAsync<T>(x => (Guid)typeof(T).GetProperty("RunId")!.GetValue(x.Context.Message)! == runId).First()).Context.Message;

    private async Task<Guid> Fetch(int attempt = 1)
    {
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new FetchMarketingReport(runId, Shop, "scripted", Since, Until, attempt));
        return runId;
    }

    [Fact]
    public async Task Every_page_is_archived_unchanged_before_the_manifest_that_names_them_and_the_run_hears_each_step()
    {
        _source.Pages = ["{\"data\":[{\"spend\":\"1.00\"}],\"paging\":{\"next\":\"x\"}}", "{\"data\":[]}"];
        var runId = await Fetch();
        var archived = await Answer<MarketingReportArchived>(runId);
        Assert.Equal(1, (await Answer<MarketingFetchStarted>(runId)).Attempt);
        Assert.Equal((2, 1L), ((await Answer<MarketingReportFetched>(runId)).Pages, (await Answer<MarketingReportFetched>(runId)).Rows));
        Assert.StartsWith($"raw/scripted/{Shop}/", archived.ManifestKey);
        Assert.EndsWith($"{runId:N}-1/manifest.json", archived.ManifestKey);
        Assert.False(archived.Partial);

        await using var stored = await _store.OpenRead(archived.ManifestKey, CancellationToken.None);
        var manifest = (await JsonSerializer.DeserializeAsync<MarketingArchiveManifest>(stored.Content, JsonSerializerOptions.Web))!;
        Assert.Equal(("acct_1", Since, Until, 2), (manifest.Account, manifest.Since, manifest.Until, manifest.Pages.Count));
        for (var i = 0; i < 2; i++)
        {
            await using var page = await _store.OpenRead(manifest.Pages[i].Key, CancellationToken.None);
            Assert.Equal(_source.Pages[i], await new StreamReader(page.Content).ReadToEndAsync());
        }
    }

    [Fact]
    public async Task A_source_that_asks_to_wait_defers_the_run_with_its_wait_and_one_that_refuses_fails_it()
    {
        _source.Pages = [];
        _source.Failure = new MarketingApiException("scripted", "80000", "throttled", transient: true, TimeSpan.FromSeconds(90.2));
        var deferred = await Answer<MarketingFetchDeferred>(await Fetch());
        Assert.Equal(("80000", 91), (deferred.ErrorCode, deferred.RetryAfterSeconds));

        _source.Failure = new MarketingApiException("scripted", "190", "token expired", transient: false);
        Assert.Equal("190", (await Answer<MarketingFetchFailed>(await Fetch())).ErrorCode);
    }

    [Fact]
    public async Task A_refusal_after_some_pages_archives_what_was_answered_as_partial_but_a_bad_token_never_does()
    {
        _source.Pages = ["{\"data\":[{\"spend\":\"1.00\"}]}"];
        _source.Failure = new MarketingApiException("scripted", "1", "Please reduce the amount of data", transient: false);
        var partial = await Answer<MarketingReportArchived>(await Fetch());
        Assert.True(partial.Partial);
        Assert.Contains("reduce the amount", partial.PartialReason);
        Assert.Equal(1, partial.Pages);

        _source.Failure = new MarketingApiException("scripted", "UNAUTHENTICATED", "bad token", transient: false);
        Assert.Equal("UNAUTHENTICATED", (await Answer<MarketingFetchFailed>(await Fetch())).ErrorCode);
    }

    [Fact]
    public async Task A_shop_without_an_account_for_the_source_fails_clearly()
    {
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new FetchMarketingReport(runId, "unknown.myshopify.com", "scripted", Since, Until, 1));
        var failed = await Answer<MarketingFetchFailed>(runId);
        Assert.Equal("NOT_CONFIGURED", failed.ErrorCode);
        Assert.Contains("No scripted account is configured for unknown.myshopify.com", failed.Reason);
    }

    private sealed class ScriptedSource : IMarketingSource
    {
        public string[] Pages { get; set; } = [];
        public MarketingApiException? Failure { get; set; }
        public string Source => "scripted";

        public ValueTask<string?> AccountOf(string shop, CancellationToken cancellationToken) => ValueTask.FromResult(shop == Shop ? "acct_1" : null);

        public async IAsyncEnumerable<MarketingPage> Fetch(string shop, DateOnly since, DateOnly until,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var body in Pages)
            {
                await Task.Yield();
                yield return new MarketingPage(since, until, "insights", "level=campaign", body, body.Split("spend").Length - 1, DateTimeOffset.UtcNow);
            }
            if (Failure is not null) throw Failure;
        }
    }
}
