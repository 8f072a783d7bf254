using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Tests;

/// <summary>The demo's advertising follows the demo shop's own sales, and plants what the alert rules must find.</summary>
public sealed class DemoMarketingTests
{
    private static readonly DateOnly Anchor = new(2026, 11, 21);
    private static readonly DemoShop Shop =
        new(new SandboxShop { Domain = "demo-shop.myshopify.com", AccessToken = "t", Seed = 42, Days = 180, OrdersPerDay = 30 }, Anchor);
    private static readonly DemoMarketing Marketing = new(Shop, 42);

    private static (decimal Spend, decimal Value, long Clicks, long Impressions) Week(DateOnly last, string? campaign = null)
    {
        var days = Marketing.MetaDays(last.AddDays(-6), last).Where(d => campaign is null || d.Campaign.Id == campaign).ToList();
        return (days.Sum(d => d.Spend), days.Sum(d => d.PurchaseValue), days.Sum(d => d.Clicks), days.Sum(d => d.Impressions));
    }

    [Fact]
    public void Every_day_has_a_row_per_campaign_and_the_same_range_gives_the_same_rows()
    {
        var rows = Marketing.MetaDays(Shop.FirstDay, Anchor).ToList();
        Assert.Equal(180 * 4, rows.Count);
        Assert.Equal(rows, new DemoMarketing(Shop, 42).MetaDays(Shop.FirstDay, Anchor).ToList());
        Assert.All(rows, r => Assert.True(r.Clicks <= r.Impressions && r.Spend > 0));
    }

    [Fact]
    public void Meta_spend_is_about_an_eleventh_of_the_shops_revenue_and_follows_it_day_by_day()
    {
        var sales = Shop.SalesDays();
        var byDay = Marketing.MetaDays(Shop.FirstDay, Anchor).GroupBy(d => d.Date).ToDictionary(g => g.Key, g => g.Sum(d => d.Spend));
        var share = byDay.Sum(d => d.Value) / sales.Where(s => byDay.ContainsKey(s.Key)).Sum(s => s.Value.Revenue);
        Assert.InRange(share, 0.10m, 0.12m);
        // The busiest tenth of days by revenue also spends more than the quietest tenth.
        var ordered = byDay.Keys.OrderBy(d => sales[d].Revenue).ToList();
        Assert.True(ordered.TakeLast(18).Average(d => byDay[d]) > 1.5m * ordered.Take(18).Average(d => byDay[d]));
    }

    [Fact]
    public void Google_Ads_spends_about_7_percent_of_revenue_and_has_nothing_planted()
    {
        var sales = Shop.SalesDays();
        var rows = Marketing.GoogleDays(Shop.FirstDay, Anchor).ToList();
        Assert.Equal(180 * 4, rows.Count);
        var share = rows.Sum(r => r.Spend) / sales.Where(s => s.Key >= Shop.FirstDay).Sum(s => s.Value.Revenue);
        Assert.InRange(share, 0.06m, 0.08m);
        var lastWeek = rows.Where(r => r.Date > Anchor.AddDays(-7)).ToList();
        var weekBefore = rows.Where(r => r.Date <= Anchor.AddDays(-7) && r.Date > Anchor.AddDays(-14)).ToList();
        var ctr = (double)lastWeek.Sum(r => r.Clicks) / lastWeek.Sum(r => r.Impressions)
            / ((double)weekBefore.Sum(r => r.Clicks) / weekBefore.Sum(r => r.Impressions));
        Assert.InRange(ctr, 0.85, 1.15);
    }

    [Fact]
    public void The_last_week_plants_a_campaign_under_ROAS_1_and_a_CTR_dip()
    {
        const string prospecting = "120210000000000001";
        var last = Week(Anchor, prospecting);
        var before = Week(Anchor.AddDays(-7), prospecting);
        Assert.InRange(last.Value / last.Spend, 0.5m, 0.95m);
        Assert.True(before.Value / before.Spend > 1.2m);

        var (_, _, clicks, impressions) = Week(Anchor);
        var (_, _, clicksBefore, impressionsBefore) = Week(Anchor.AddDays(-7));
        var dip = (double)clicks / impressions / ((double)clicksBefore / impressionsBefore);
        Assert.InRange(dip, 0.5, 0.7);
    }

    [Fact]
    public void GA4_sessions_follow_the_orders_and_its_key_events_and_revenue_track_the_shops_with_an_attribution_gap()
    {
        var sales = Shop.SalesDays();
        var rows = Marketing.Ga4Days(Shop.FirstDay, Anchor).ToList();
        Assert.Equal(DemoMarketing.Channels.Select(c => c.Name).Order(), rows.Select(r => r.Channel.Name).Distinct().Order());
        Assert.Equal(["Direct", "Email", "Organic Search", "Paid Search", "Paid Social", "Referral"], DemoMarketing.Channels.Select(c => c.Name).Order());
        Assert.Equal(rows, new DemoMarketing(Shop, 42).Ga4Days(Shop.FirstDay, Anchor).ToList());
        var orders = sales.Where(s => s.Key >= Shop.FirstDay && s.Key <= Anchor).Sum(s => s.Value.Orders);
        var revenue = sales.Where(s => s.Key >= Shop.FirstDay && s.Key <= Anchor).Sum(s => s.Value.Revenue);
        Assert.InRange((double)rows.Sum(r => r.KeyEvents) / orders, 0.85, 0.97);
        Assert.InRange(rows.Sum(r => r.Revenue) / revenue, 0.85m, 0.95m);
        Assert.InRange(orders / (double)rows.Sum(r => r.Sessions), 0.019, 0.025);
        Assert.All(rows, r => Assert.True(r.Users <= r.Sessions && r.Users > 0));
        // Email converts best, social worst.
        double Rate(string channel) =>
            rows.Where(r => r.Channel.Name == channel).Sum(r => r.KeyEvents) / (double)rows.Where(r => r.Channel.Name == channel).Sum(r => r.Sessions);
        Assert.True(Rate("Email") > 2 * Rate("Paid Social"));
        // Busy days have more sessions: the day's sessions follow its orders.
        var byDay = rows.GroupBy(r => r.Date).ToDictionary(g => g.Key, g => g.Sum(r => r.Sessions));
        var ordered = byDay.Keys.OrderBy(d => sales[d].Orders).ToList();
        Assert.True(ordered.TakeLast(18).Average(d => byDay[d]) > 1.5 * ordered.Take(18).Average(d => byDay[d]));
    }
}
