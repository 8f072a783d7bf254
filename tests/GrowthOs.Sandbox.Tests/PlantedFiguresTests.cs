extern alias kpi;
extern alias transform;
using GrowthOs.Sandbox.DemoData;
using Xunit.Abstractions;
using AlertInputs = kpi::GrowthOs.KpiAlert.Alerts.AlertInputs;
using AlertOptions = kpi::GrowthOs.KpiAlert.Alerts.AlertOptions;
using AlertRules = kpi::GrowthOs.KpiAlert.Alerts.AlertRules;
using EmailSend = kpi::GrowthOs.KpiAlert.Alerts.EmailSend;
using FlowSending = kpi::GrowthOs.KpiAlert.Alerts.FlowSending;
using InventoryThresholds = transform::GrowthOs.Transform.Marts.InventoryThresholds;
using KpiCalculator = kpi::GrowthOs.KpiAlert.Kpis.KpiCalculator;
using KpiInputs = kpi::GrowthOs.KpiAlert.Kpis.KpiInputs;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// What the demo plants for the alert rules (a revenue dip, a Meta campaign under ROAS 1, a Meta CTR dip, a fast mover
/// out of stock) is past each rule's threshold, with a margin, whatever the day: the generator is run with its anchor
/// on each of 366 consecutive days, for the shops the demo and the tests sync, in UTC, New York and Tokyo. The KPIs'
/// default period is the 7 reporting days up to the shop's yesterday, the anchor, against the 7 before; the stock
/// snapshot is of the shop's today, its velocity the 30 days before.
/// </summary>
public sealed class PlantedFiguresTests(ITestOutputHelper output)
{
    private static readonly AlertOptions Thresholds = new();
    private static readonly InventoryThresholds Inventory = new();
    private static readonly DateOnly FirstAnchor = new(2028, 1, 1);
    private const int Anchors = 366;
    private const string Prospecting = "120210000000000001";

    /// <summary>The demo shop of ./run.sh; the integration suite's KPI shop; its dashboard shop.</summary>
    public static TheoryData<int, int, string> Shops()
    {
        var data = new TheoryData<int, int, string>();
        foreach (var (seed, ordersPerDay) in new[] { (42, 30), (42, 10), (61, 8) })
            foreach (var zone in new[] { "UTC", "America/New_York", "Asia/Tokyo" })
                data.Add(seed, ordersPerDay, zone);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shops))]
    public void Every_planted_figure_is_past_its_rules_threshold_on_every_day_of_a_year(int seed, int ordersPerDay, string zone)
    {
        var worst = (Revenue: decimal.MinValue, Roas: decimal.MinValue, Ctr: decimal.MinValue, Velocity: decimal.MaxValue);
        for (var i = 0; i < Anchors; i++)
        {
            var anchor = FirstAnchor.AddDays(i);
            var shop = new DemoShop(
                new SandboxShop { Domain = "planted.myshopify.com", AccessToken = "t", Seed = seed, OrdersPerDay = ordersPerDay, TimeZone = zone }, anchor);
            var marketing = new DemoMarketing(shop, seed);
            var figures = Measure(shop, marketing, anchor);
            worst = (Math.Max(worst.Revenue, figures.RevenueChange), Math.Max(worst.Roas, figures.ProspectingRoas),
                Math.Max(worst.Ctr, figures.MetaCtrChange), Math.Min(worst.Velocity, figures.FastMoverVelocity));

            // Each beyond its threshold by a margin: a fifth more than the rule asks for.
            Assert.True(figures.RevenueChange < -Thresholds.RevenueDrop * 1.2m, $"{anchor} {zone}: revenue changed {figures.RevenueChange:P1}");
            Assert.True(figures.ProspectingRoas < Thresholds.RoasFloor / 1.2m, $"{anchor} {zone}: prospecting ROAS {figures.ProspectingRoas:0.000}");
            Assert.True(figures.ProspectingSpendMinor >= Thresholds.MinimumCampaignSpendMinor * 5,
                $"{anchor} {zone}: prospecting spent {figures.ProspectingSpendMinor}");
            Assert.True(figures.MetaCtrChange < -Thresholds.CtrDrop * 1.2m, $"{anchor} {zone}: Meta's CTR changed {figures.MetaCtrChange:P1}");
            Assert.True(figures.FastMoverVelocity >= Inventory.FastUnitsPerDay * 1.2m,
                $"{anchor} {zone}: the fast mover sold {figures.FastMoverVelocity} a day");
            Assert.Equal(0, figures.FastMoverStock);
        }
        output.WriteLine($"seed {seed}, {ordersPerDay}/day, {zone}: worst revenue change {worst.Revenue:P1}, prospecting ROAS {worst.Roas:0.000}, " +
            $"Meta CTR change {worst.Ctr:P1}, fast mover {worst.Velocity:0.00} a day");
    }

    /// <summary>
    /// The demo's e-mail, with its Klaviyo account in the shop's zone, through the real rules: the abandoned-cart flow's
    /// stop raises <c>flow_stopped</c> and nothing else does, and the latest newsletter's imported list raises the bounce
    /// rate as a warning, past its setting by a fifth and short of the critical one by a fifth; the unsubscribe rate stays
    /// quiet.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shops))]
    public void The_planted_email_raises_flow_stopped_and_a_bounce_rate_warning_on_every_day_of_a_year(int seed, int ordersPerDay, string zone)
    {
        var (lowest, highest) = (decimal.MaxValue, decimal.MinValue);
        for (var i = 0; i < Anchors; i++)
        {
            var anchor = FirstAnchor.AddDays(i);
            var shop = new DemoShop(
                new SandboxShop { Domain = "planted.myshopify.com", AccessToken = "t", Seed = seed, OrdersPerDay = ordersPerDay, TimeZone = zone }, anchor);
            var email = new DemoEmail(shop, seed, zone);
            var (from, since) = (anchor.AddDays(-6), anchor.AddDays(-Thresholds.FlowSteadyDays - Thresholds.FlowStoppedForDays));
            var flows = DemoEmail.Flows.Select(f => new FlowSending(f.Id, f.Name,
                [.. Days(since, anchor).Where(d => f.Emails.Sum(e => email.FlowDay(f, e, d).Recipients) > 0)])).ToList();
            var sends = DemoEmail.Flows
                .Select(f => Send("flow", f.Id, f.Name, [.. f.Emails.SelectMany(e => Days(from, anchor).Select(d => email.FlowDay(f, e, d)))]))
                .Concat(email.Campaigns(from, anchor).Select(c => Send("campaign", c.Id, c.Name, [email.Campaign(c)])))
                .ToList();
            var quiet = new KpiInputs(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            var conditions = AlertRules.Evaluate(new AlertInputs(from, anchor, KpiCalculator.Compute(quiet, quiet), [], [], EmailSends: sends,
                FlowSending: flows), Thresholds);

            Assert.Equal(["email_bounce_rate:", "flow_stopped:flow:AbCart"], conditions.Select(c => $"{c.Rule}:{c.Subject}").Order());
            var bounces = conditions.Single(c => c.Rule == "email_bounce_rate");
            var rate = bounces.Figures["value"]!.Value;
            (lowest, highest) = (Math.Min(lowest, rate), Math.Max(highest, rate));
            Assert.True(rate > Thresholds.EmailBounceRate * 1.2m && rate < Thresholds.EmailBounceRateCritical / 1.2m,
                $"{anchor} {zone}: bounce rate {rate:P2}");
            Assert.Equal("warning", bounces.Severity);
        }
        output.WriteLine($"seed {seed}, {ordersPerDay}/day, {zone}: e-mail bounce rate from {lowest:P2} to {highest:P2}");
    }

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last) =>
        Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays);

    private static EmailSend Send(string kind, string id, string name, IReadOnlyList<DemoEmailStatistics> days) =>
        new(kind, id, name, days.Sum(d => d.Recipients), days.Sum(d => d.Delivered), days.Sum(d => d.Unsubscribes), days.Sum(d => d.Bounced));

    [Fact]
    public void The_planted_week_falls_on_the_shops_own_days_in_its_time_zone()
    {
        var anchor = new DateOnly(2028, 3, 12);
        var shop = new DemoShop(
            new SandboxShop { Domain = "planted.myshopify.com", AccessToken = "t", Seed = 42, OrdersPerDay = 30, TimeZone = "America/New_York" }, anchor);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

        var orders = shop.Orders().ToList();
        Assert.Equal(anchor.AddDays(-179), LocalDay(orders[0].CreatedAt));
        Assert.Equal(anchor, LocalDay(orders[^1].CreatedAt));
        // The data ends at the shop's midnight (EDT, 04:00 UTC), whatever UTC's day.
        Assert.Equal(new DateTimeOffset(2028, 3, 13, 3, 59, 59, TimeSpan.Zero), shop.DataEnd);
        Assert.All(orders, o => Assert.True(o.UpdatedAt <= shop.DataEnd));
        Assert.Equal(orders.Where(o => !o.Test && o.CancelledAt is null).GroupBy(o => LocalDay(o.CreatedAt)).ToDictionary(g => g.Key, g => g.Count()),
            shop.SalesDays().ToDictionary(d => d.Key, d => d.Value.Orders));
    }

    private sealed record Figures(decimal RevenueChange, decimal ProspectingRoas, long ProspectingSpendMinor, decimal MetaCtrChange, decimal FastMoverVelocity,
        int FastMoverStock);

    private static Figures Measure(DemoShop shop, DemoMarketing marketing, DateOnly anchor)
    {
        decimal Revenue(DateOnly last) => Enumerable.Range(0, 7).Sum(d => shop.SalesDay(last.AddDays(-d))?.Revenue ?? 0m);
        var revenueChange = Revenue(anchor) / Revenue(anchor.AddDays(-7)) - 1;

        var week = marketing.MetaDays(anchor.AddDays(-6), anchor).ToList();
        var before = marketing.MetaDays(anchor.AddDays(-13), anchor.AddDays(-7)).ToList();
        var prospecting = week.Where(d => d.Campaign.Id == Prospecting).ToList();
        var spend = prospecting.Sum(d => d.Spend);
        decimal Ctr(List<DemoCampaignDay> days) => (decimal)days.Sum(d => d.Clicks) / days.Sum(d => d.Impressions);

        var units = shop.OrdersOfDays(anchor.AddDays(1 - Inventory.VelocityDays), anchor)
            .Where(o => !o.Test && o.CancelledAt is null)
            .SelectMany(o => o.LineItems)
            .Where(l => l.Variant.Id == DemoCatalog.PlantedFastMoverVariantId)
            .Sum(l => l.Quantity);
        var fastMover = shop.Products.SelectMany(p => p.Variants).Single(v => v.Id == DemoCatalog.PlantedFastMoverVariantId);
        return new Figures(revenueChange, prospecting.Sum(d => d.PurchaseValue) / spend, (long)(spend * 100), Ctr(week) / Ctr(before) - 1,
            (decimal)units / Inventory.VelocityDays, fastMover.InventoryQuantity);
    }
}
