using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Inventory;
using GrowthOs.Contracts.Kpi;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Sales;
using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Copies;
using GrowthOs.KpiAlert.Kpis;
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

/// <summary>Alerts over the real PostgreSQL: raised once while the condition holds, resolved when it clears, each change on the bus.</summary>
public sealed class AlertEvaluatorTests : IAsyncLifetime
{
    private const string Shop = "alerts.myshopify.com";
    /// <summary>The service's clock, fixed: the KPI period and the alerts' ages follow it, whatever day the test runs.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Yesterday = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_kpi_alerts");
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
                bus.AddConsumer<SyncOutcomeConsumer>();
                bus.AddConsumer<StockCopyConsumer>();
                bus.AddConsumer<MarketingCopyConsumer>();
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

    /// <summary>Two weeks of sales: the week before at <paramref name="before"/> a day, the last week at <paramref name="last"/>.</summary>
    private async Task Sales(long before, long last, DateTimeOffset computedAt)
    {
        var days = Enumerable.Range(0, 14).Select(i => Yesterday.AddDays(-i))
            .Select(d => new DailySalesFigure(d, 10, d > Yesterday.AddDays(-7) ? last : before)).ToList();
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new DailySalesUpdated(runId, Shop, "USD", days, computedAt));
        // Consumed once the consumer is done: the copy, the KPIs and the alerts' evaluation. (The harness waits for
        // inactivity only once, so later waits poll.)
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!_harness.Consumed.Select<DailySalesUpdated>().Any(x => x.Context.Message.RunId == runId && x.Exception is null) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(_harness.Consumed.Select<DailySalesUpdated>().Any(x => x.Context.Message.RunId == runId && x.Exception is null),
            $"run {runId} was not consumed");
    }

    private async Task<List<(string Rule, string Status, string Raised, string Latest)>> Alerts()
    {
        await using var command = _dataSource.CreateCommand("SELECT rule, status, COALESCE(raised_figures->>'value', ''), "
            + "COALESCE(latest_figures->>'value', '') FROM kpi.alert WHERE shop_domain = @shop ORDER BY raised_at");
        command.Parameters.AddWithValue("shop", Shop);
        var alerts = new List<(string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) alerts.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return alerts;
    }

    [Fact]
    public async Task A_revenue_drop_opens_one_alert_that_stays_open_while_it_holds_keeps_its_raising_figures_and_is_resolved_when_it_clears()
    {
        await Sales(before: 10_000, last: 6_000, Now.AddMinutes(-3));
        Assert.Equal([("revenue_drop", "open", "42000", "42000")], await Alerts());
        var raised = (await _harness.Published.SelectAsync<AlertRaised>().First()).Context.Message;
        Assert.Equal(("revenue_drop", "critical", -0.4m), (raised.Rule, raised.Severity, raised.Figures["change"]));

        // Still down (−35 %): the same alert, its latest figures moved, none raised again.
        await Sales(before: 10_000, last: 6_500, Now.AddMinutes(-2));
        Assert.Equal([("revenue_drop", "open", "42000", "45500")], await Alerts());
        Assert.Single(_harness.Published.Select<AlertRaised>());

        // Back within 30 %: resolved, and said so on the bus.
        await Sales(before: 10_000, last: 9_000, Now.AddMinutes(-1));
        Assert.Equal([("revenue_drop", "resolved", "42000", "45500")], await Alerts());
        var resolved = (await _harness.Published.SelectAsync<AlertResolved>().First()).Context.Message;
        Assert.Equal((raised.AlertId, "revenue_drop"), (resolved.AlertId, resolved.Rule));
    }

    [Fact]
    public async Task A_daily_sync_whose_last_success_is_too_old_raises_pipeline_missing_and_its_next_success_resolves_it()
    {
        await _harness.Bus.Publish(new SyncCompleted(Guid.NewGuid(), Shop, 10, 20, null, Now.AddHours(-30), JobType: "DAILY_SYNC"));
        // A backfill's success is not the daily sync's.
        await _harness.Bus.Publish(new SyncCompleted(Guid.NewGuid(), Shop, 10, 20, null, Now, JobType: "FULL_BACKFILL_EXECUTE"));
        await Until(async () => (await Alerts()).Any(a => a is ("pipeline_missing", "open", _, _)));

        await _harness.Bus.Publish(new SyncCompleted(Guid.NewGuid(), Shop, 10, 20, null, Now, JobType: "DAILY_SYNC"));
        await Until(async () => (await Alerts()).Any(a => a is ("pipeline_missing", "resolved", _, _)));
        Assert.Single(await Alerts(), a => a.Rule == "pipeline_missing");
    }

    [Fact]
    public async Task A_gap_a_daily_sync_found_raises_sync_gap_until_its_backfill_completes_whole()
    {
        var (gapFrom, floor, backfill) = (Now.AddDays(-160), Now.AddDays(-128), Guid.NewGuid());
        await _harness.Bus.Publish(new SyncGapFound(Guid.NewGuid(), Shop, "orders", gapFrom, floor, backfill, Now));
        await Until(async () => (await Alerts()).Any(a => a is ("sync_gap", "open", _, _)));
        var raised = (await _harness.Published.SelectAsync<AlertRaised>(x => x.Context.Message.Rule == "sync_gap").First()).Context.Message;
        Assert.Equal(("orders", "warning", 32m), (raised.Subject, raised.Severity, raised.Figures["gap_days"]));
        Assert.Contains(backfill.ToString(), raised.Recommendation);

        // Another backfill, and the gap's own backfill ended partial: the gap is not filled.
        await _harness.Bus.Publish(new SyncCompleted(Guid.NewGuid(), Shop, 10, 20, null, Now, JobType: "FULL_BACKFILL_EXECUTE"));
        await _harness.Bus.Publish(new SyncCompleted(backfill, Shop, 10, 20, null, Now, Partial: true, JobType: "FULL_BACKFILL_EXECUTE"));
        await _harness.Bus.Publish(new SyncGapFound(Guid.NewGuid(), Shop, "orders", gapFrom, floor, backfill, Now));
        await Task.Delay(500);
        Assert.Equal([("sync_gap", "open")], (await Alerts()).Where(a => a.Rule == "sync_gap").Select(a => (a.Rule, a.Status)));

        await _harness.Bus.Publish(new SyncCompleted(backfill, Shop, 10, 20, null, Now, JobType: "FULL_BACKFILL_EXECUTE"));
        await Until(async () => (await Alerts()).Any(a => a is ("sync_gap", "resolved", _, _)));
        Assert.Single(await Alerts(), a => a.Rule == "sync_gap");

        // A gap heard of only after its backfill completed is filled at once: no alert.
        var early = Guid.NewGuid();
        await _harness.Bus.Publish(new SyncCompleted(early, Shop, 10, 20, null, Now, JobType: "FULL_BACKFILL_EXECUTE"));
        await Until(() => Task.FromResult(_harness.Consumed.Select<SyncCompleted>().Any(x => x.Context.Message.RunId == early)));
        await _harness.Bus.Publish(new SyncGapFound(Guid.NewGuid(), Shop, "orders", gapFrom.AddDays(1), floor, early, Now));
        await Until(() => Task.FromResult(_harness.Consumed.Select<SyncGapFound>().Any(x => x.Context.Message.BackfillRunId == early)));
        await Task.Delay(300);
        Assert.Single(await Alerts(), a => a.Rule == "sync_gap");
    }

    [Fact]
    public async Task A_fast_mover_out_of_stock_opens_its_alert_an_older_snapshot_changes_nothing_and_a_newer_one_in_stock_resolves_it()
    {
        var outOfStock = new StockAlert(9001, 1, "DRILL-18V", "Cordless Drill", "out_of_stock", "fast", 2.4m, 0m, 0);
        await _harness.Bus.Publish(new StockAlertsUpdated(Guid.NewGuid(), Shop, Yesterday, Now.AddMinutes(-5), [outOfStock]));
        await Until(async () => (await Alerts()).Any(a => a is ("fast_mover_stockout", "open", _, _)));

        await _harness.Bus.Publish(new StockAlertsUpdated(Guid.NewGuid(), Shop, Yesterday, Now.AddMinutes(-10), []));
        await _harness.Bus.Publish(new StockAlertsUpdated(Guid.NewGuid(), Shop, Yesterday.AddDays(1), Now, [outOfStock with { StockStatus = "low_stock" }]));
        await Until(async () => (await Alerts()).Any(a => a is ("fast_mover_stockout", "resolved", _, _)));
        Assert.Single(await Alerts(), a => a.Rule == "fast_mover_stockout");
    }

    [Fact]
    public async Task A_revenue_drop_while_the_shopify_sync_is_missing_says_so_is_held_back_and_turns_critical_once_the_data_is_whole()
    {
        await _harness.Bus.Publish(new SyncCompleted(Guid.NewGuid(), Shop, 10, 20, null, Now.AddHours(-30), JobType: "DAILY_SYNC"));
        await Until(async () => (await Alerts()).Any(a => a is ("pipeline_missing", "open", _, _)));
        await Sales(before: 10_000, last: 6_000, Now.AddMinutes(-3));
        await Until(async () => (await Alerts()).Any(a => a is ("revenue_drop", "open", _, _)));
        async Task<(string Severity, bool Held, string? Data, string[] Pipelines)> Drop()
        {
            await using var command = _dataSource.CreateCommand(
                "SELECT severity, held_back, data_incomplete::text, incomplete_pipelines FROM kpi.alert WHERE shop_domain = @shop AND rule = 'revenue_drop'");
            command.Parameters.AddWithValue("shop", Shop);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetString(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<string[]>(3));
        }
        var held = await Drop();
        Assert.Equal(("warning", true, "shopify"), (held.Severity, held.Held, string.Join(",", held.Pipelines)));
        Assert.Contains("no whole success for 30 h", held.Data);
        await Until(() => Task.FromResult(_harness.Published.Select<AlertRaised>().Any(x => x.Context.Message.Rule == "revenue_drop")));
        var raised = _harness.Published.Select<AlertRaised>().Single(x => x.Context.Message.Rule == "revenue_drop").Context.Message;
        Assert.Equal(("warning", "shopify"), (raised.Severity, string.Join(",", raised.DataIncomplete!)));
        Assert.Contains("held back from critical", raised.Message);
        // The pipeline's outage lists the alert that moved with it.
        var moved = await new GrowthOs.KpiAlert.Analytics.AnalyticsStore(_dataSource).MovedAlerts(Shop, Now.AddDays(-7), CancellationToken.None);
        Assert.Equal(("revenue_drop", "shopify"), (Assert.Single(moved).Alert.Rule, string.Join(",", moved[0].Pipelines)));

        // The sync succeeds: the data is whole, the drop still holds, and it is critical now.
        await _harness.Bus.Publish(new SyncCompleted(Guid.NewGuid(), Shop, 10, 20, null, Now, JobType: "DAILY_SYNC"));
        await Until(async () => (await Drop()).Severity == "critical");
        var whole = await Drop();
        Assert.Equal((false, (string?)null, "shopify"), (whole.Held, whole.Data, string.Join(",", whole.Pipelines)));
        // Published once the change is committed: polled (the harness waits for inactivity only once).
        await Until(() => Task.FromResult(_harness.Published.Select<AlertSeverityChanged>().Any()));
        var changed = _harness.Published.Select<AlertSeverityChanged>().First().Context.Message;
        Assert.Equal(("revenue_drop", "critical", "warning", 0), (changed.Rule, changed.Severity, changed.PreviousSeverity, changed.DataIncomplete.Count));
    }

    /// <summary>
    /// Three weeks of e-mail: a welcome flow every day; an abandoned-cart flow every day but the last
    /// <paramref name="cartSilentDays"/>; and the last week's newsletter with <paramref name="newsletterBounces"/> of its
    /// 5,000 recipients bounced.
    /// </summary>
    private async Task Email(int cartSilentDays, long newsletterBounces, DateTimeOffset computedAt)
    {
        var (first, runId) = (Yesterday.AddDays(-20), Guid.NewGuid());
        var dates = Enumerable.Range(0, 21).Select(first.AddDays).ToList();
        var email = dates.Select(d => new MarketingEmailDay(d, "flow", "WeLc0m", "Welcome Series", 100, 100, 40, 5, 0, 0, 1_000))
            .Concat(dates.Where(d => d <= Yesterday.AddDays(-cartSilentDays))
                .Select(d => new MarketingEmailDay(d, "flow", "AbCart", "Abandoned Cart", 200, 199, 90, 19, 0, 1, 7_000)))
            .Append(new MarketingEmailDay(Yesterday.AddDays(-3), "campaign", "01JCNWS", "Weekly newsletter", 5_000, 5_000 - newsletterBounces, 2_000, 100, 5,
                newsletterBounces, 30_000))
            .ToList();
        await _harness.Bus.Publish(new MarketingDailyUpdated(runId, Shop, "USD", first, Yesterday,
            [.. dates.Select(d => new MarketingSourceDay(d, MarketingSources.Meta, 1_000, 1_000, 10, 1, 3_000, 0, 0, 0, 0, 0))], [], computedAt, email));
        await Until(() => Task.FromResult(_harness.Consumed.Select<MarketingDailyUpdated>().Any(x => x.Context.Message.RunId == runId && x.Exception is null)));
    }

    [Fact]
    public async Task A_flow_that_stopped_and_a_bounce_rate_past_its_setting_open_their_alerts_and_a_newer_computation_resolves_them()
    {
        // 2 silent days of the cart flow; 148 of the week's 6,700 recipients bounced (700 welcome, 1,000 cart, 5,000 newsletter: 2.2 %, critical).
        await Email(cartSilentDays: 2, newsletterBounces: 143, Now.AddMinutes(-5));
        await Until(async () => (await Alerts()).Count(a => a.Status == "open") == 2);
        // Published once committed: polled (the harness waits for inactivity only once).
        await Until(() => Task.FromResult(_harness.Published.Select<AlertRaised>().Count() == 2));
        var raised = _harness.Published.Select<AlertRaised>().Select(x => x.Context.Message).ToDictionary(a => a.Rule);
        Assert.Equal(("flow:AbCart", "warning", 2m), (raised["flow_stopped"].Subject, raised["flow_stopped"].Severity,
            raised["flow_stopped"].Figures["days_silent"]));
        Assert.Equal(("critical", 148m, 6_700m), (raised["email_bounce_rate"].Severity, raised["email_bounce_rate"].Figures["count"],
            raised["email_bounce_rate"].Figures["of"]));
        Assert.Contains("\"Weekly newsletter\" (01JCNWS", raised["email_bounce_rate"].Message);

        // The flow sends again and the newsletter's bounces are cleaned up: both resolved.
        await Email(cartSilentDays: 0, newsletterBounces: 20, Now);
        await Until(async () => (await Alerts()).All(a => a.Status == "resolved"));
        Assert.Equal(["email_bounce_rate", "flow_stopped"], (await Alerts()).Select(a => a.Rule).Order());
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never held.");
            await Task.Delay(50);
        }
    }
}
