namespace GrowthOs.Sandbox.DemoData;

/// <summary>A demo flow of Klaviyo: its id, name, trigger and its e-mails.</summary>
public sealed record DemoFlow(string Id, string Name, string TriggerType, IReadOnlyList<DemoFlowEmail> Emails);

/// <summary>
/// An e-mail of a demo flow, sent from its own flow action: how many recipients it gets per order of the day, how they
/// open and click, and the share of the day's revenue Klaviyo attributes to it. A transactional e-mail (an order's
/// confirmation) is marked so on its action, as Klaviyo approves it.
/// </summary>
public sealed record DemoFlowEmail(string ActionId, string MessageId, string Name, string Subject, bool Transactional, double PerOrder, double OpenRate,
    double ClickRate, double RevenueShare);

/// <summary>A demo campaign of Klaviyo and its one e-mail message, sent at a moment.</summary>
public sealed record DemoCampaignEmail(string Id, string MessageId, string Name, DateTimeOffset SentAt);

/// <summary>What Klaviyo reports of an e-mail: recipients, delivered, unique opens and clicks, unsubscribes, bounces and the value attributed.</summary>
public sealed record DemoEmailStatistics(long Recipients, long Delivered, long Opens, long Clicks, long Unsubscribes, long Bounced, decimal ConversionValue)
{
    public static readonly DemoEmailStatistics None = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>
/// The demo shop's e-mail, deterministic from its seed and following its own sales: three flows (a welcome series, an
/// abandoned cart and a post-purchase series whose order and shipping confirmations are transactional) send every day
/// in proportion to the day's orders, and a newsletter campaign goes out every Thursday at 14:00 in the account's zone
/// to a list that grows with the shop. Two things are planted for the alert rules: the abandoned-cart flow stops sending
/// for the last <see cref="StoppedDays"/> days; and the latest newsletter also went to a list imported that week,
/// <see cref="ImportedListSize"/> times the shop's own, and about <see cref="ImportedListBounceRate"/> of it bounced (the
/// other sends bounce about 0.6 %), which puts the week's bounce rate past the rule's 1 % and short of its critical 2 %.
/// </summary>
public sealed class DemoEmail(DemoShop shop, int seed, string timeZone)
{
    public const int StoppedDays = 2;
    public const double ImportedListBounceRate = 0.015;
    public const int ImportedListSize = 2;
    public const double UsualBounceRate = 0.006;

    public static readonly IReadOnlyList<DemoFlow> Flows =
    [
        new("WeLc0m", "Welcome Series", "Added to List",
        [
            new("WlcA01", "WlcM01", "Welcome 1: hello", "Welcome to the workshop", false, 0.9, 0.55, 0.08, 0.010),
            new("WlcA02", "WlcM02", "Welcome 2: best sellers", "Our best sellers", false, 0.75, 0.46, 0.06, 0.008),
            new("WlcA03", "WlcM03", "Welcome 3: last chance", "Last chance: 10% off your first order", false, 0.6, 0.42, 0.05, 0.012),
        ]),
        new("AbCart", "Abandoned Cart", "Metric",
        [
            new("CrtA01", "CrtM01", "Cart 1: reminder", "You left something behind", false, 2.2, 0.48, 0.07, 0.030),
            new("CrtA02", "CrtM02", "Cart 2: still thinking", "Still thinking it over?", false, 1.5, 0.41, 0.05, 0.015),
        ]),
        new("PoStPu", "Post-Purchase", "Metric",
        [
            new("PpA001", "PpM001", "Order confirmation", "Thanks for your order", true, 1.0, 0.72, 0.11, 0),
            new("PpA002", "PpM002", "Shipping confirmation", "Your order is on its way", true, 0.95, 0.66, 0.14, 0),
            new("PpA003", "PpM003", "Review request", "How did we do?", false, 0.8, 0.38, 0.04, 0.004),
        ]),
    ];

    private TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(timeZone);

    public DateOnly FirstDay => shop.FirstDay;
    public DateOnly LastDay => shop.LastDay;

    /// <summary>What a flow e-mail sent on a day (nothing on a day without orders, or after the abandoned-cart flow stopped).</summary>
    public DemoEmailStatistics FlowDay(DemoFlow flow, DemoFlowEmail email, DateOnly day)
    {
        if (shop.SalesDay(day) is not { Orders: > 0 } sales) return DemoEmailStatistics.None;
        if (flow.Id == "AbCart" && day > LastDay.AddDays(-StoppedDays)) return DemoEmailStatistics.None;
        // A stable number of the message (string hashes change from one process to the next).
        var key = email.MessageId.Aggregate(17L, (hash, c) => hash * 31 + c) % 1_000_000 * 100_000 + day.DayNumber;
        double Noise(int salt, double spread) => 1 - spread + 2 * spread * DemoCatalog.Unit(seed, key, salt);
        var recipients = (long)Math.Round(sales.Orders * email.PerOrder * Noise(1, 0.1));
        var value = sales.Revenue * (decimal)(email.RevenueShare * Noise(4, 0.2));
        return Statistics(recipients, email.OpenRate * Noise(2, 0.08), email.ClickRate * Noise(3, 0.1), value, key);
    }

    /// <summary>The weekly newsletters sent from <paramref name="since"/> to <paramref name="until"/> (their sending days in the account's zone).</summary>
    public IEnumerable<DemoCampaignEmail> Campaigns(DateOnly since, DateOnly until)
    {
        for (var day = Max(since, FirstDay); day <= until && day <= LastDay; day = day.AddDays(1))
        {
            if (day.DayOfWeek != DayOfWeek.Thursday) continue;
            var local = day.ToDateTime(new TimeOnly(14, 0));
            var sent = new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
            var stamp = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            yield return new DemoCampaignEmail($"01JC{stamp}NWS", $"01JM{stamp}NWS", $"Weekly newsletter {day:MMM d, yyyy}", sent);
        }
    }

    /// <summary>What a newsletter did: sent to a list that grows with the shop, valued at a share of the next three days' revenue.</summary>
    public DemoEmailStatistics Campaign(DemoCampaignEmail campaign)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(campaign.SentAt, Zone).DateTime);
        var key = 9_000_000_000L + day.DayNumber;
        double Noise(int salt, double spread) => 1 - spread + 2 * spread * DemoCatalog.Unit(seed, key, salt);
        var age = day.DayNumber - FirstDay.DayNumber;
        var imported = day > LastDay.AddDays(-7);
        var recipients = (long)Math.Round((1_500 + 9.0 * age) * Noise(1, 0.03) * (imported ? 1 + ImportedListSize : 1));
        var revenue = Enumerable.Range(0, 3).Sum(i => shop.SalesDay(day.AddDays(i))?.Revenue ?? 0);
        return Statistics(recipients, 0.38 * Noise(2, 0.1), 0.025 * Noise(3, 0.15), revenue * (decimal)(0.06 * Noise(4, 0.2)), key,
            imported ? ImportedListBounceRate : UsualBounceRate);
    }

    private DemoEmailStatistics Statistics(long recipients, double openRate, double clickRate, decimal value, long key,
        double bounceRate = UsualBounceRate)
    {
        if (recipients <= 0) return DemoEmailStatistics.None;
        var bounced = (long)Math.Round(recipients * bounceRate * (0.95 + 0.1 * DemoCatalog.Unit(seed, key, 5)));
        var delivered = recipients - bounced;
        var opens = (long)Math.Round(delivered * openRate);
        var clicks = Math.Min(opens, (long)Math.Round(delivered * clickRate));
        var unsubscribes = (long)Math.Round(delivered * 0.002 * (0.5 + DemoCatalog.Unit(seed, key, 6)));
        return new DemoEmailStatistics(recipients, delivered, opens, clicks, unsubscribes, bounced, Math.Round(value, 2));
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
