using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Kpi;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Sales;
using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Copies;
using GrowthOs.KpiAlert.Kpis;
using GrowthOs.KpiAlert.Privacy;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>
/// The service's copies fed by events, over the real PostgreSQL, on the in-memory bus: a late or repeated event never overwrites newer figures.
/// </summary>
public sealed class CopyTests : IAsyncLifetime
{
    private const string Shop = "copies.myshopify.com";
    /// <summary>The service's clock, fixed: the KPI period and the alerts' ages follow it, whatever day the test runs.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Yesterday = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1);
    private static readonly DateTimeOffset Older = Now.AddMinutes(-10), Newer = Now;
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_kpi_copies");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, new SchemaMigrations("kpi", typeof(KpiStore).Assembly), NullLogger<SchemaMigrator>.Instance)
            .StartAsync(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_dataSource)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(Now))
            .AddSingleton(Options.Create(new KpiOptions()))
            .AddSingleton(Options.Create(new AlertOptions()))
            .AddSingleton<KpiStore>()
            .AddSingleton<GrowthOs.KpiAlert.Analytics.AnalyticsStore>()
            .AddSingleton<AlertEvaluator>()
            .AddSingleton<KpiRefresh>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<SalesCopyConsumer>();
                bus.AddConsumer<MarketingCopyConsumer>();
                bus.AddConsumer<KpiCustomerRedactConsumer>();
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(20);
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Publishes the event and waits for the KPIs it leads to (polling: the harness waits for inactivity only once).</summary>
    private async Task<KpiSnapshotComputed> Consumed(object message, Guid runId)
    {
        await _harness.Bus.Publish(message);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_harness.Published.Select<KpiSnapshotComputed>().FirstOrDefault(x => x.Context.Message.RunId == runId) is { } published)
                return published.Context.Message;
            await Task.Delay(20);
        }
        throw new TimeoutException($"No KPIs of run {runId} were published.");
    }

    private static DailySalesUpdated Sales(Guid runId, DateTimeOffset at, long revenue, params CustomerOrders[] customers) =>
        new(runId, Shop, "USD", [new DailySalesFigure(Yesterday, customers.Sum(c => c.Orders), revenue, Units: 5, RefundsMinor: 100, Customers: customers)],
            at);

    private static MarketingDailyUpdated Marketing(Guid runId, DateTimeOffset at, long metaSpend) => new(runId, Shop, "USD", Yesterday, Yesterday,
        [
            new MarketingSourceDay(Yesterday, MarketingSources.Meta, metaSpend, 10_000, 100, 3, 9_000, 0, 0, 0, 0, 0),
            new MarketingSourceDay(Yesterday, MarketingSources.GoogleAds, 1_000, 1_000, 50, 1, 2_000, 0, 0, 0, 0, 0),
            new MarketingSourceDay(Yesterday, MarketingSources.Ga4, 0, 0, 0, 0, 0, 400, 300, 8, 7_000, 0),
        ],
        [new MarketingCampaignDay(Yesterday, MarketingSources.Meta, "601", "Prospecting", metaSpend, 10_000, 100, 3, 9_000)], at);

    private static decimal? Value(KpiSnapshotComputed snapshot, string name) => snapshot.Kpis.Single(k => k.Name == name).Current;

    [Fact]
    public async Task A_redacted_customer_leaves_the_customer_days_and_a_copy_computed_before_the_redaction_does_not_bring_it_back()
    {
        var first = Guid.NewGuid();
        await Consumed(Sales(first, Older, 50_000, new CustomerOrders(7, 2, Yesterday), new CustomerOrders(8, 1, Yesterday)), first);
        await _harness.Bus.Publish(new CustomerRedactRequested(Shop, 7, [], "webhook-1", Now));
        // Polled, as the KPIs are: the harness waits for inactivity only once, so a later Any may answer before the consumer ran.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!_harness.Consumed.Select<CustomerRedactRequested>().Any() && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(_harness.Consumed.Select<CustomerRedactRequested>().Any(), "the redaction was never consumed");
        Assert.Equal(1L, await Count("SELECT count(*) FROM kpi.customer_day WHERE customer_id = 8"));
        Assert.Equal(0L, await Count("SELECT count(*) FROM kpi.customer_day WHERE customer_id = 7"));

        // The Transform had computed the day before it forgot the customer; the copy hears it only now.
        var late = Guid.NewGuid();
        await Consumed(Sales(late, Newer, 50_000, new CustomerOrders(7, 2, Yesterday), new CustomerOrders(8, 1, Yesterday)), late);
        Assert.Equal(0L, await Count("SELECT count(*) FROM kpi.customer_day WHERE customer_id = 7"));
        Assert.Equal(1L, await Count("SELECT count(*) FROM kpi.customer_day WHERE customer_id = 8"));
    }

    private async Task<long> Count(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_late_daily_sales_event_of_an_older_computation_changes_nothing_and_a_newer_one_replaces_the_day()
    {
        var first = Guid.NewGuid();
        var snapshot = await Consumed(Sales(first, Newer, 50_000, new CustomerOrders(1, 2, Yesterday), new CustomerOrders(2, 1, Yesterday.AddDays(-40))),
            first);
        Assert.Equal((50_000m, 3m, 1m, 0.5m, 0.5m),
            (Value(snapshot, "revenue")!.Value, Value(snapshot, "orders")!.Value, Value(snapshot, "new_customers")!.Value,
                Value(snapshot, "returning_customer_rate")!.Value, Value(snapshot, "repeat_purchase_rate")!.Value));
        Assert.Equal(18, snapshot.Kpis.Count);

        var late = Guid.NewGuid();
        var unchanged = await Consumed(Sales(late, Older, 1, new CustomerOrders(3, 1, Yesterday)), late);
        Assert.Equal((50_000m, 1m), (Value(unchanged, "revenue")!.Value, Value(unchanged, "new_customers")!.Value));

        var again = Guid.NewGuid();
        var replaced = await Consumed(Sales(again, Newer.AddSeconds(1), 70_000, new CustomerOrders(3, 1, Yesterday)), again);
        Assert.Equal((70_000m, 1m, 0m), (Value(replaced, "revenue")!.Value, Value(replaced, "orders")!.Value, Value(replaced, "repeat_purchase_rate")!.Value));
    }

    [Fact]
    public async Task Marketing_days_are_taken_whole_from_the_newest_computation_and_feed_the_marketing_KPIs()
    {
        var sales = Guid.NewGuid();
        await Consumed(Sales(sales, Newer, 40_000, new CustomerOrders(1, 4, Yesterday)), sales);
        var first = Guid.NewGuid();
        var snapshot = await Consumed(Marketing(first, Newer, 19_000), first);
        // ad spend 19,000 + 1,000; blended ROAS 40,000 / 20,000; Meta ROAS 9,000 / 19,000; CTR 150 / 11,000; CPC 20,000 / 150 = 133.3 → 133;
        // conversion rate 4 orders / 400 sessions; CAC 20,000 / 1 new customer.
        Assert.Equal((20_000m, 2m, 0.473684m, 0.013636m, 133m, 0.01m, 20_000m),
            (Value(snapshot, "ad_spend")!.Value, Value(snapshot, "blended_roas")!.Value, Value(snapshot, "meta_roas")!.Value, Value(snapshot, "ctr")!.Value,
                Value(snapshot, "cpc")!.Value, Value(snapshot, "conversion_rate")!.Value, Value(snapshot, "cac")!.Value));

        var late = Guid.NewGuid();
        Assert.Equal(20_000m, Value(await Consumed(Marketing(late, Older, 1), late), "ad_spend"));
        var newer = Guid.NewGuid();
        Assert.Equal(6_000m, Value(await Consumed(Marketing(newer, Newer.AddSeconds(1), 5_000), newer), "ad_spend"));
        await using var campaigns = _dataSource.CreateCommand("SELECT spend_minor FROM kpi.campaign_day WHERE shop_domain = @shop");
        campaigns.Parameters.AddWithValue("shop", Shop);
        Assert.Equal(5_000L, (long)(await campaigns.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task E_mail_days_come_with_their_marketing_day_and_feed_the_email_figures_and_a_computation_without_email_keeps_them()
    {
        var sales = Guid.NewGuid();
        await Consumed(Sales(sales, Newer, 40_000, new CustomerOrders(1, 4, Yesterday)), sales);
        var none = Guid.NewGuid();
        Assert.Empty((await Consumed(Marketing(none, Newer, 1_000), none)).Email!);    // no e-mail source: no e-mail figures

        // A flow and a campaign: 1,200 recipients, 1,180 delivered, 59 clicks, 6 unsubscribes, 20 bounces, 10,000 attributed.
        var email = Guid.NewGuid();
        var snapshot = await Consumed(Marketing(email, Newer.AddSeconds(1), 1_000) with
        {
            Email =
            [
                new MarketingEmailDay(Yesterday, "flow", "AbCart", "Abandoned Cart", 200, 196, 90, 19, 1, 4, 7_000),
                new MarketingEmailDay(Yesterday, "campaign", "01JCNWS", null, 1_000, 984, 400, 40, 5, 16, 3_000),
            ],
        }, email);
        decimal? Email(KpiSnapshotComputed computed, string name) => computed.Email!.Single(k => k.Name == name).Current;
        // Revenue share 10,000 / 40,000; click rate 59 / 1,180; revenue per recipient 10,000 / 1,200 = 8.33 → 8; bounce rate 20 / 1,200.
        Assert.Equal((10_000m, 0.25m, 0.05m, 8m, 0.016667m), (Email(snapshot, "email_revenue")!.Value, Email(snapshot, "email_revenue_share")!.Value,
            Email(snapshot, "email_click_rate")!.Value, Email(snapshot, "email_revenue_per_recipient")!.Value, Email(snapshot, "email_bounce_rate")!.Value));

        // A newer computation from a publisher that does not read e-mail leaves the day's e-mail as it was.
        var without = Guid.NewGuid();
        Assert.Equal(10_000m, Email(await Consumed(Marketing(without, Newer.AddSeconds(2), 1_000), without), "email_revenue"));
        // A newer one with the day's e-mail replaces it whole.
        var replaced = Guid.NewGuid();
        var again = await Consumed(Marketing(replaced, Newer.AddSeconds(3), 1_000) with
        {
            Email = [new MarketingEmailDay(Yesterday, "flow", "WeLc0m", "Welcome Series", 100, 100, 50, 5, 0, 0, 500)],
        }, replaced);
        Assert.Equal((500m, 100m), (Email(again, "email_revenue")!.Value, Email(again, "email_recipients")!.Value));
    }
}
