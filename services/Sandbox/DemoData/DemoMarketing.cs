namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// The demo shop's advertising, deterministic from its seed and consistent with its own sales: each day's spend is a
/// share of that day's revenue (so it follows the same seasonality, weekday and growth), and the value the platform
/// attributes to its ads tracks the revenue with an attribution gap. Two things are planted for the alert rules to
/// find in the last 7 days: Meta's prospecting campaign returns less than it costs (ROAS about 0.7), and Meta's
/// click-through rate dips by about 40 %.
/// </summary>
public sealed class DemoMarketing(DemoShop shop, int seed)
{
    public const int PlantedDays = 7;
    private const double MetaShareOfRevenue = 0.11;
    private const double GoogleShareOfRevenue = 0.07;

    public static readonly IReadOnlyList<DemoCampaign> MetaCampaigns =
    [
        new("120210000000000001", "Prospecting - Broad Audiences", 0.40, 1.6, 0.011, 0.85m),
        new("120210000000000002", "Retargeting - Site Visitors 30d", 0.20, 4.8, 0.024, 0.62m),
        new("120210000000000003", "Lookalike - Buyers 1%", 0.25, 2.4, 0.015, 0.78m),
        new("120210000000000004", "Advantage+ Catalog", 0.15, 3.1, 0.019, 0.70m),
    ];

    /// <summary>Google Ads campaigns; their conversions are fractional (data-driven attribution), as Google reports them.</summary>
    public static readonly IReadOnlyList<DemoCampaign> GoogleCampaigns =
    [
        new("20934810001", "Search - Brand", 0.20, 7.5, 0.082, 0.45m),
        new("20934810002", "Search - Generic Tools", 0.35, 1.9, 0.041, 1.35m),
        new("20934810003", "Shopping - All Products", 0.30, 3.2, 0.012, 0.55m),
        new("20934810004", "Performance Max - Workshop", 0.15, 2.6, 0.009, 0.60m),
    ];

    /// <summary>GA4's default channel groups of the demo shop's sessions: email and direct visitors buy most often, social visitors least.</summary>
    public static readonly IReadOnlyList<DemoChannel> Channels =
    [
        new("Organic Search", 0.30, 1.0),
        new("Paid Search", 0.16, 1.2),
        new("Paid Social", 0.22, 0.6),
        new("Direct", 0.18, 1.4),
        new("Email", 0.06, 2.0),
        new("Referral", 0.08, 0.8),
    ];

    /// <summary>The share of sessions that end in an order, on average; GA4 sees a share of the orders (consent, blockers).</summary>
    private const double SessionConversionRate = 0.022;
    private const double Ga4ShareOfOrders = 0.92;
    private const double Ga4ShareOfRevenue = 0.90;

    public DateOnly FirstDay => shop.FirstDay;
    public DateOnly LastDay => shop.LastDay;

    /// <summary>
    /// Meta's daily delivery per campaign from <paramref name="since"/> to <paramref name="until"/> (inclusive), days in order, campaigns in order.
    /// </summary>
    public IEnumerable<DemoCampaignDay> MetaDays(DateOnly since, DateOnly until) => Days(since, until, MetaCampaigns, MetaShareOfRevenue, plantedOn: true);

    /// <summary>Google Ads' daily delivery per campaign; nothing is planted on it.</summary>
    public IEnumerable<DemoCampaignDay> GoogleDays(DateOnly since, DateOnly until) =>
        Days(since, until, GoogleCampaigns, GoogleShareOfRevenue, plantedOn: false);

    /// <summary>
    /// GA4's sessions, users, key events (purchases) and purchase revenue per channel group and day: sessions follow the
    /// day's orders through the conversion rate, so the same seasonality, weekdays and growth; GA4 attributes about 92 %
    /// of the orders and 90 % of the revenue (consent and ad blockers), spread over the channels by how they convert.
    /// </summary>
    public IEnumerable<DemoChannelDay> Ga4Days(DateOnly since, DateOnly until)
    {
        var weights = Channels.Select(c => c.SessionShare * c.ConversionFactor).ToArray();
        var totalWeight = weights.Sum();
        for (var date = Max(since, FirstDay); date <= until && date <= LastDay; date = date.AddDays(1))
        {
            if (shop.SalesDay(date) is not { } sales) continue;
            for (var i = 0; i < Channels.Count; i++)
            {
                var channel = Channels[i];
                var key = (i + 1) * 100_000L + date.DayNumber;
                double Noise(int salt, double spread) => 1 - spread + 2 * spread * DemoCatalog.Unit(seed, key, salt);
                var sessions = (long)Math.Round(sales.Orders / SessionConversionRate * channel.SessionShare * Noise(1, 0.1));
                if (sessions == 0) continue;
                var users = (long)Math.Round(sessions * 0.78 * Noise(2, 0.05));
                var keyEvents = (long)Math.Round(sales.Orders * Ga4ShareOfOrders * weights[i] / totalWeight * Noise(3, 0.1));
                var revenue = keyEvents == 0 ? 0 : Math.Round(sales.Revenue * (decimal)(Ga4ShareOfRevenue * weights[i] / totalWeight * Noise(4, 0.1)), 2);
                yield return new DemoChannelDay(channel, date, sessions, users, keyEvents, revenue);
            }
        }
    }

    private IEnumerable<DemoCampaignDay> Days(DateOnly since, DateOnly until, IReadOnlyList<DemoCampaign> campaigns, double shareOfRevenue, bool plantedOn)
    {
        for (var date = Max(since, FirstDay); date <= until && date <= LastDay; date = date.AddDays(1))
        {
            if (shop.SalesDay(date) is not { Orders: > 0 } sales) continue;
            var planted = plantedOn && date > LastDay.AddDays(-PlantedDays);
            foreach (var campaign in campaigns)
            {
                var key = long.Parse(campaign.Id[^6..]) * 100_000 + date.DayNumber;
                double Noise(int salt, double spread) => 1 - spread + 2 * spread * DemoCatalog.Unit(seed, key, salt);
                var spend = Math.Round(sales.Revenue * (decimal)(shareOfRevenue * campaign.SpendShare * Noise(1, 0.15)), 2);
                if (spend <= 0) continue;
                var roas = campaign.Roas * Noise(2, 0.2) * (planted && campaign == campaigns[0] ? 0.7 / campaign.Roas : 1);
                var ctr = campaign.Ctr * Noise(3, 0.1) * (planted ? 0.6 : 1);
                var clicks = Math.Max(1, (long)Math.Round((double)spend / (double)campaign.Cpc * Noise(4, 0.1)));
                var impressions = (long)Math.Round(clicks / ctr);
                var value = Math.Round(spend * (decimal)roas, 2);
                var aov = sales.Revenue / sales.Orders;
                var purchases = (long)Math.Round(value / aov);
                yield return new DemoCampaignDay(campaign, date, spend, impressions, clicks, purchases, purchases == 0 ? 0 : value);
            }
        }
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
