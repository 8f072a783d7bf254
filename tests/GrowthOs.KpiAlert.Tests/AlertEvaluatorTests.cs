using GrowthOs.Contracts.Kpi;
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
using Npgsql;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>Alerts over the real PostgreSQL: raised once while the condition holds, resolved when it clears, each change on the bus.</summary>
public sealed class AlertEvaluatorTests : IAsyncLifetime
{
    private const string Shop = "alerts.myshopify.com";
    private static readonly DateOnly Yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_kpi_alerts");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, new SchemaMigrations("kpi", typeof(KpiStore).Assembly), NullLogger<SchemaMigrator>.Instance).StartAsync(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_dataSource)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new KpiOptions()))
            .AddSingleton(Options.Create(new AlertOptions()))
            .AddSingleton<KpiStore>()
            .AddSingleton<AlertEvaluator>()
            .AddSingleton<KpiRefresh>()
            .AddMassTransitTestHarness(bus => bus.AddConsumer<SalesCopyConsumer>())
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
        var days = Enumerable.Range(0, 14).Select(i => Yesterday.AddDays(-i)).Select(d => new DailySalesFigure(d, 10, d > Yesterday.AddDays(-7) ? last : before)).ToList();
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new DailySalesUpdated(runId, Shop, "USD", days, computedAt));
        // Consumed once the consumer is done: the copy, the KPIs and the alerts' evaluation. (The harness waits for
        // inactivity only once, so later waits poll.)
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!_harness.Consumed.Select<DailySalesUpdated>().Any(x => x.Context.Message.RunId == runId && x.Exception is null) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(_harness.Consumed.Select<DailySalesUpdated>().Any(x => x.Context.Message.RunId == runId && x.Exception is null), $"run {runId} was not consumed");
    }

    private async Task<List<(string Rule, string Status, string Raised, string Latest)>> Alerts()
    {
        await using var command = _dataSource.CreateCommand("SELECT rule, status, raised_figures->>'value', latest_figures->>'value' FROM kpi.alert WHERE shop_domain = @shop ORDER BY raised_at");
        command.Parameters.AddWithValue("shop", Shop);
        var alerts = new List<(string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) alerts.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return alerts;
    }

    [Fact]
    public async Task A_revenue_drop_opens_one_alert_that_stays_open_while_it_holds_keeps_its_raising_figures_and_is_resolved_when_it_clears()
    {
        await Sales(before: 10_000, last: 6_000, DateTimeOffset.UtcNow.AddMinutes(-3));
        Assert.Equal([("revenue_drop", "open", "42000", "42000")], await Alerts());
        var raised = (await _harness.Published.SelectAsync<AlertRaised>().First()).Context.Message;
        Assert.Equal(("revenue_drop", "critical", -0.4m), (raised.Rule, raised.Severity, raised.Figures["change"]));

        // Still down (−35 %): the same alert, its latest figures moved, none raised again.
        await Sales(before: 10_000, last: 6_500, DateTimeOffset.UtcNow.AddMinutes(-2));
        Assert.Equal([("revenue_drop", "open", "42000", "45500")], await Alerts());
        Assert.Single(_harness.Published.Select<AlertRaised>());

        // Back within 30 %: resolved, and said so on the bus.
        await Sales(before: 10_000, last: 9_000, DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal([("revenue_drop", "resolved", "42000", "45500")], await Alerts());
        var resolved = (await _harness.Published.SelectAsync<AlertResolved>().First()).Context.Message;
        Assert.Equal((raised.AlertId, "revenue_drop"), (resolved.AlertId, resolved.Rule));
    }
}
