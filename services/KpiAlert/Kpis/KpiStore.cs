using Npgsql;

namespace GrowthOs.KpiAlert.Kpis;

/// <summary>A period's KPI inputs, summed from this service's copies (<c>kpi.daily_sales</c>, <c>customer_day</c>, <c>marketing_day</c>).</summary>
public sealed class KpiStore(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        WITH sales AS (
            SELECT COALESCE(sum(revenue_minor), 0)::bigint AS revenue, COALESCE(sum(orders), 0)::bigint AS orders,
                   COALESCE(sum(units), 0)::bigint AS units, COALESCE(sum(refunds_minor), 0)::bigint AS refunds
            FROM kpi.daily_sales WHERE shop_domain = @shop AND date BETWEEN @from AND @to
        ),
        customers AS (
            SELECT customer_id, sum(orders) AS orders, min(first_order_date) AS first_order_date
            FROM kpi.customer_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            GROUP BY customer_id
        ),
        people AS (
            SELECT count(*) FILTER (WHERE first_order_date BETWEEN @from AND @to) AS new_customers, count(*) AS ordering,
                   count(*) FILTER (WHERE first_order_date < @from) AS returning, count(*) FILTER (WHERE orders >= 2) AS repeating
            FROM customers
        ),
        ads AS (
            SELECT COALESCE(sum(spend_minor) FILTER (WHERE source = 'meta'), 0)::bigint AS meta_spend,
                   COALESCE(sum(spend_minor) FILTER (WHERE source = 'google_ads'), 0)::bigint AS google_spend,
                   COALESCE(sum(conversion_value_minor) FILTER (WHERE source = 'meta'), 0)::bigint AS meta_value,
                   COALESCE(sum(conversion_value_minor) FILTER (WHERE source = 'google_ads'), 0)::bigint AS google_value,
                   COALESCE(sum(clicks) FILTER (WHERE source IN ('meta', 'google_ads')), 0)::bigint AS clicks,
                   COALESCE(sum(impressions) FILTER (WHERE source IN ('meta', 'google_ads')), 0)::bigint AS impressions,
                   COALESCE(sum(sessions) FILTER (WHERE source = 'ga4'), 0)::bigint AS sessions
            FROM kpi.marketing_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to
        )
        SELECT s.revenue, s.orders, s.units, s.refunds, p.new_customers, p.ordering, p.returning, p.repeating,
               a.meta_spend, a.google_spend, a.meta_value, a.google_value, a.clicks, a.impressions, a.sessions
        FROM sales s, people p, ads a
        """;

    public async Task<KpiInputs> Inputs(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long L(int i) => Convert.ToInt64(reader.GetValue(i));
        return new KpiInputs(L(0), L(1), L(2), L(3), L(4), L(5), L(6), L(7), L(8), L(9), L(10), L(11), L(12), L(13), L(14));
    }

    /// <summary>A period's profit inputs: the days that carry profit figures, their sums, and the ad platforms' spend.</summary>
    public async Task<ProfitInputs> Profit(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(net_sales_minor)::int, COALESCE(sum(orders) FILTER (WHERE net_sales_minor IS NOT NULL), 0)::bigint,
                   COALESCE(sum(net_sales_minor), 0)::bigint, COALESCE(sum(cogs_minor), 0)::bigint, COALESCE(sum(shipping_cost_minor), 0)::bigint,
                   COALESCE(sum(payment_fees_minor), 0)::bigint, COALESCE(sum(fixed_expenses_minor), 0)::bigint,
                   (SELECT COALESCE(sum(spend_minor), 0) FROM kpi.marketing_day
                    WHERE shop_domain = @shop AND date BETWEEN @from AND @to AND source IN ('meta', 'google_ads'))::bigint,
                   COALESCE(sum(first_orders), 0)::bigint, COALESCE(sum(first_order_revenue_minor), 0)::bigint,
                   COALESCE(sum(repeat_revenue_minor), 0)::bigint
            FROM kpi.daily_sales WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ProfitInputs(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
            reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10));
    }

    /// <summary>
    /// The profit figures of <paramref name="from"/> to <paramref name="to"/> beside the period before, and how many days of
    /// both periods carry them.
    /// </summary>
    public async Task<(int Days, IReadOnlyList<Kpi> Figures)> ComputeProfit(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var current = await Profit(shop, from, to, cancellationToken);
        var previous = await Profit(shop, from.AddDays(-days), from.AddDays(-1), cancellationToken);
        return (current.Days + previous.Days, ProfitKpis.Compute(current, previous));
    }

    /// <summary>A period's e-mail inputs: every flow's and campaign's figures summed, and the shop's revenue.</summary>
    public async Task<EmailInputs> Email(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT COALESCE(sum(recipients), 0)::bigint, COALESCE(sum(delivered), 0)::bigint, COALESCE(sum(opens), 0)::bigint,
                   COALESCE(sum(clicks), 0)::bigint, COALESCE(sum(unsubscribes), 0)::bigint, COALESCE(sum(bounces), 0)::bigint,
                   COALESCE(sum(revenue_minor), 0)::bigint,
                   (SELECT COALESCE(sum(revenue_minor), 0) FROM kpi.daily_sales WHERE shop_domain = @shop AND date BETWEEN @from AND @to)::bigint
            FROM kpi.email_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new EmailInputs(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
            reader.GetInt64(6), reader.GetInt64(7));
    }

    /// <summary>
    /// The e-mail figures of <paramref name="from"/> to <paramref name="to"/> beside the period before; none for a shop
    /// whose e-mail never came in (no e-mail source connected).
    /// </summary>
    public async Task<IReadOnlyList<Kpi>> ComputeEmail(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using (var sends = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM kpi.email_day WHERE shop_domain = @shop)"))
        {
            sends.Parameters.AddWithValue("shop", shop);
            if (!(bool)(await sends.ExecuteScalarAsync(cancellationToken))!) return [];
        }
        var days = to.DayNumber - from.DayNumber + 1;
        return EmailKpis.Compute(await Email(shop, from, to, cancellationToken), await Email(shop, from.AddDays(-days), from.AddDays(-1), cancellationToken));
    }

    /// <summary>Each flow's and campaign's e-mail over the period, summed.</summary>
    public async Task<IReadOnlyList<Alerts.EmailSend>> EmailSends(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT kind, parent_id, (array_agg(parent_name ORDER BY date DESC) FILTER (WHERE parent_name IS NOT NULL))[1], sum(recipients)::bigint,
                   sum(delivered)::bigint, sum(unsubscribes)::bigint, sum(bounces)::bigint
            FROM kpi.email_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            GROUP BY kind, parent_id ORDER BY kind, parent_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var sends = new List<Alerts.EmailSend>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            sends.Add(new Alerts.EmailSend(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        return sends;
    }

    /// <summary>The days from <paramref name="since"/> to <paramref name="to"/> on which each flow sent (recipients above zero).</summary>
    public async Task<IReadOnlyList<Alerts.FlowSending>> FlowSending(string shop, DateOnly since, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT parent_id, (array_agg(parent_name ORDER BY date DESC) FILTER (WHERE parent_name IS NOT NULL))[1], array_agg(date ORDER BY date)
            FROM kpi.email_day WHERE shop_domain = @shop AND kind = 'flow' AND recipients > 0 AND date BETWEEN @since AND @to
            GROUP BY parent_id ORDER BY parent_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("to", to);
        var flows = new List<Alerts.FlowSending>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            flows.Add(new Alerts.FlowSending(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateOnly[]>(2)));
        return flows;
    }

    /// <summary>The shop's currency as its latest copied day names it; null when nothing was copied for it yet.</summary>
    public async Task<string?> CurrencyOf(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT currency_code FROM (
                SELECT currency_code, date FROM kpi.daily_sales WHERE shop_domain = @shop AND currency_code <> ''
                UNION ALL SELECT currency_code, date FROM kpi.marketing_day WHERE shop_domain = @shop AND currency_code <> '') c
            ORDER BY date DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("shop", shop);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The KPIs of <paramref name="from"/> to <paramref name="to"/> beside the period of the same length before.</summary>
    public async Task<(DateOnly PreviousFrom, DateOnly PreviousTo, IReadOnlyList<Kpi> Kpis)> Compute(string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var (previousFrom, previousTo) = (from.AddDays(-days), from.AddDays(-1));
        var current = await Inputs(shop, from, to, cancellationToken);
        var previous = await Inputs(shop, previousFrom, previousTo, cancellationToken);
        return (previousFrom, previousTo, KpiCalculator.Compute(current, previous));
    }

    /// <summary>
    /// Each KPI's activation baseline (<see cref="KpiBaselines"/>): its values over the 8 periods of the same length before
    /// this one that ended on the same weekday, a step of whole weeks apart (<see cref="KpiBaselines.Step"/>: a week for a
    /// period of up to 7 days), each taken only when its copies hold it whole (every day of sales, and every day of
    /// marketing or none at all).
    /// </summary>
    public async Task<IReadOnlyList<KpiBaseline>> Baselines(string shop, DateOnly from, DateOnly to, IReadOnlyList<Kpi> current,
        CancellationToken cancellationToken)
    {
        var length = to.DayNumber - from.DayNumber + 1;
        var weeks = new List<IReadOnlyDictionary<string, decimal?>>();
        for (var week = 1; week <= KpiBaselines.Weeks; week++)
        {
            var (first, last) = (from.AddDays(-KpiBaselines.Step(length) * week), to.AddDays(-KpiBaselines.Step(length) * week));
            var (salesDays, marketingDays) = await Coverage(shop, first, last, cancellationToken);
            if (salesDays != length || marketingDays is not 0 && marketingDays != length) continue;
            weeks.Add(KpiCalculator.Values(await Inputs(shop, first, last, cancellationToken)));
        }
        return KpiBaselines.Compute(current, weeks);
    }

    /// <summary>
    /// How many days of the period each copy holds: the Transform sends a row for every day it refreshed (zero on a day
    /// without sales or delivery), so a period not wholly held is one whose events have not all arrived.
    /// </summary>
    public async Task<(int SalesDays, int MarketingDays)> Coverage(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM kpi.daily_sales WHERE shop_domain = @shop AND date BETWEEN @from AND @to)::int,
                   (SELECT count(DISTINCT date) FROM kpi.marketing_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to)::int
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>Each ad platform's clicks and impressions over the period and the period before.</summary>
    public async Task<IReadOnlyList<Alerts.PlatformCtr>> Platforms(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        await using var command = dataSource.CreateCommand("""
            SELECT source,
                   COALESCE(sum(clicks) FILTER (WHERE date BETWEEN @from AND @to), 0)::bigint,
                   COALESCE(sum(impressions) FILTER (WHERE date BETWEEN @from AND @to), 0)::bigint,
                   COALESCE(sum(clicks) FILTER (WHERE date < @from), 0)::bigint, COALESCE(sum(impressions) FILTER (WHERE date < @from), 0)::bigint
            FROM kpi.marketing_day
            WHERE shop_domain = @shop AND source IN ('meta', 'google_ads') AND date BETWEEN @previous AND @to
            GROUP BY source ORDER BY source
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("previous", from.AddDays(-days));
        var platforms = new List<Alerts.PlatformCtr>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            platforms.Add(new Alerts.PlatformCtr(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        return platforms;
    }

    /// <summary>Each campaign's spend and platform-reported value over the period.</summary>
    public async Task<IReadOnlyList<Alerts.CampaignFigures>> Campaigns(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT source, campaign_id, (array_agg(campaign_name ORDER BY date DESC))[1], sum(spend_minor)::bigint, sum(conversion_value_minor)::bigint
            FROM kpi.campaign_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            GROUP BY source, campaign_id ORDER BY source, campaign_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var campaigns = new List<Alerts.CampaignFigures>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            campaigns.Add(new Alerts.CampaignFigures(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
        return campaigns;
    }

    /// <summary>Every shop this service holds figures for.</summary>
    public async Task<IReadOnlyList<string>> Shops(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT shop_domain FROM kpi.daily_sales UNION SELECT shop_domain FROM kpi.marketing_day UNION SELECT shop_domain FROM kpi.sync_outcome ORDER BY 1
            """);
        var shops = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) shops.Add(reader.GetString(0));
        return shops;
    }

    /// <summary>Each daily job of the shop that ended in the 7 days before <paramref name="now"/>, with its last whole success in them.</summary>
    public async Task<IReadOnlyList<Alerts.PipelineSuccess>> Pipelines(string shop, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT job, max(ended_at) FILTER (WHERE outcome = 'completed')
            FROM kpi.sync_outcome WHERE shop_domain = @shop AND ended_at > @since
            GROUP BY job ORDER BY job
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("since", now.AddDays(-7));
        var pipelines = new List<Alerts.PipelineSuccess>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            pipelines.Add(new Alerts.PipelineSuccess(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        return pipelines;
    }

    /// <summary>The gaps daily syncs found whose backfill has not completed whole.</summary>
    public async Task<IReadOnlyList<Alerts.SyncGap>> OpenGaps(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT entity, gap_from, floor, backfill_run_id, found_at FROM kpi.sync_gap
            WHERE shop_domain = @shop AND filled_at IS NULL ORDER BY gap_from, backfill_run_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        var gaps = new List<Alerts.SyncGap>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            gaps.Add(new Alerts.SyncGap(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetGuid(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return gaps;
    }

    /// <summary>The latest snapshot's variants out of stock.</summary>
    public async Task<IReadOnlyList<Alerts.StockedOut>> StockOuts(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT variant_id, sku, title, velocity_tier, daily_velocity, days_of_cover FROM kpi.stock_alert
            WHERE shop_domain = @shop AND stock_status = 'out_of_stock' ORDER BY daily_velocity DESC, variant_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        var variants = new List<Alerts.StockedOut>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            variants.Add(new Alerts.StockedOut(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetDecimal(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5)));
        return variants;
    }
}
