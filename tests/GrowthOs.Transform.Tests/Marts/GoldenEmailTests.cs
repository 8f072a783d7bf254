using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Testing;
using GrowthOs.Transform.Marketing;
using GrowthOs.Transform.Marts;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// The e-mail marts computed from Fixtures/Email (a Klaviyo fetch in the shapes of Klaviyo's specification: the account,
/// flows, their actions and messages, a campaign, a daily flow series over the end of daylight saving time and a
/// campaign values report), archived to the real S3-compatible server and loaded through the consumer on the in-memory
/// bus, and held against figures worked out by hand. The shop is USD; the Klaviyo account counts in US/Eastern.
/// </summary>
public sealed class GoldenEmailTests : IAsyncLifetime
{
    private const string Shop = "golden-email.myshopify.com";
    private static readonly DateOnly First = new(2026, 11, 1), Second = new(2026, 11, 2);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ObjectStore _store = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_golden_email");
        _store = new ObjectStore(LocalInfrastructure.S3Client(),
            Options.Create(new S3Options { ServiceUrl = LocalInfrastructure.S3ServiceUrl, Bucket = LocalInfrastructure.NewBucketName("email") }));
        await _store.EnsureBucket(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_dataSource)
            .AddSingleton(_store)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new MarketingOptions()))
            .AddSingleton<MarketingUpserter>()
            .AddMassTransitTestHarness(bus => bus.AddConsumer<UpsertMarketingReportConsumer>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await _harness.Start();
        await using var shop = _dataSource.CreateCommand(
            "INSERT INTO transform.dim_shop (shop_domain, currency_code, reporting_time_zone) VALUES (@shop, 'USD', 'UTC')");
        shop.Parameters.AddWithValue("shop", Shop);
        await shop.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Archives the fetch's pages with the endpoint and request the Connector names each with, and its manifest.</summary>
    private async Task<string> Archive(DateOnly since, DateOnly until)
    {
        (string Endpoint, string Request, string Fixture)[] pages =
        [
            ("accounts", "GET /api/accounts", "accounts.json"), ("flows", "GET /api/flows", "flows.json"),
            ("flow-actions", "GET /api/flows/XVTP5Q/flow-actions", "flow_actions_welcome.json"),
            ("flow-messages", "GET /api/flow-actions/A1/flow-messages", "flow_messages_a1.json"),
            ("flow-actions", "GET /api/flows/Trx001/flow-actions", "flow_actions_orders.json"),
            ("flow-messages", "GET /api/flow-actions/A2/flow-messages", "flow_messages_a2.json"),
            ("campaigns", "GET /api/campaigns?filter=equals(messages.channel%2C%27email%27)", "campaigns.json"),
            ("flow-series-report", "POST /api/flow-series-reports", "flow_series.json"),
            ("campaign-values-report", "POST /api/campaign-values-reports", "campaign_values.json"),
        ];
        var runId = Guid.NewGuid();
        var prefix = MarketingArchiveKeys.Prefix(MarketingSources.Klaviyo, Shop, DateTimeOffset.UtcNow, runId, 1);
        var archived = new List<MarketingArchivedPage>();
        foreach (var (endpoint, request, fixture) in pages)
        {
            var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Email", fixture));
            var key = MarketingArchiveKeys.Page(prefix, archived.Count + 1);
            await _store.PutText(key, body, "application/json", CancellationToken.None);
            archived.Add(new MarketingArchivedPage(key, endpoint, request, since, until, DateTimeOffset.UtcNow, 0, body.Length));
        }
        var manifest = MarketingArchiveKeys.Manifest(prefix);
        await _store.PutText(manifest, JsonSerializer.Serialize(new MarketingArchiveManifest(MarketingSources.Klaviyo, Shop, $"klaviyo:{Shop}", runId, 1, since,
            until, DateTimeOffset.UtcNow, false, null, archived), JsonSerializerOptions.Web), "application/json", CancellationToken.None);
        return manifest;
    }

    private async Task<MarketingReportUpserted> Upsert(string manifestKey)
    {
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new UpsertMarketingReport(runId, Shop, MarketingSources.Klaviyo, manifestKey));
        return (await _harness.Published.SelectAsync<MarketingReportUpserted>(x => x.Context.Message.RunId == runId).First()).Context.Message;
    }

    private async Task<List<string>> EmailDaily()
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT date, kind, message_id, parent_name, COALESCE(message_name, ''), transactional, recipients, delivered, opens, clicks, unsubscribes, bounces,
                   revenue_minor, currency_code
            FROM transform.email_daily WHERE shop_domain = @shop ORDER BY date, kind, message_id
            """);
        command.Parameters.AddWithValue("shop", Shop);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                DateOnly day => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                IFormattable value => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var value => value.ToString(),
            })));
        return rows;
    }

    [Fact]
    public async Task Each_email_has_its_day_and_figures_in_minor_units_and_the_30_day_sending_stats_split_them_by_kind()
    {
        var loaded = await Upsert(await Archive(First, Second));

        // Five rows: M1 on both days (the second: no send, but opens, a click and 19.99 attributed), M2 on both days, and the
        // campaign on the day it was sent in the account's zone (03:30 UTC on 2 November is 22:30 on 1 November in US/Eastern).
        // Left out: M9's recipients of 1.5 on the first day, and campaign C2, whose send time no campaign page gives. The SMS
        // result is not e-mail and is not read.
        Assert.Equal((5L, 2L, First, Second), (loaded.Rows, loaded.Rejected, loaded.FirstDate, loaded.LastDate));
        Assert.Contains(loaded.RejectedExamples!, r => r.Contains("recipients is 1.5, not a count", StringComparison.Ordinal));
        Assert.Contains(loaded.RejectedExamples!, r => r.Contains("campaign C2", StringComparison.Ordinal));
        Assert.Equal(
        [
            // 120.5 USD = 12,050 cents; the campaign's 1,234.56 USD = 123,456.
            "2026-11-01 campaign CM1 November newsletter  False 1000 990 400 30 4 10 123456 USD",
            "2026-11-01 flow M1 Welcome Series Welcome 1 False 100 98 40 5 1 2 12050 USD",
            "2026-11-01 flow M2 Order Confirmation Your order True 30 30 20 3 0 0 0 USD",
            "2026-11-02 flow M1 Welcome Series Welcome 1 False 0 0 3 1 0 0 1999 USD",
            "2026-11-02 flow M2 Order Confirmation Your order True 25 25 15 2 0 0 0 USD",
        ], await EmailDaily());

        // Loaded again, the same fetch replaces its days: nothing doubles.
        await Upsert(await Archive(First, Second));
        Assert.Equal(5, (await EmailDaily()).Count);

        // The 30 reporting days up to yesterday on 20 November (UTC): 21 October to 19 November hold every send.
        // e-mails 100 + 30 + 25 + 1,000 = 1,155: automation 100 (M1), campaign 1,000, transactional 55 (M2).
        await new Rolling30dRefresher(_dataSource, new At(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero))).Refresh(CancellationToken.None);
        await using var stats = _dataSource.CreateCommand("""
            SELECT window_start, window_end, emails_30d, automation_emails_30d, campaign_emails_30d, transactional_emails_30d
            FROM transform.sending_stats_30d WHERE shop_domain = @shop
            """);
        stats.Parameters.AddWithValue("shop", Shop);
        await using var reader = await stats.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((new DateOnly(2026, 10, 21), new DateOnly(2026, 11, 19), 1155L, 100L, 1000L, 55L),
            (reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5)));
        Assert.False(await reader.ReadAsync());
    }

    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
