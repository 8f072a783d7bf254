using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// The marketing dashboard: <c>GET /api/dashboard/marketing?shop=&amp;days=30</c> (each day and the totals: spend per
/// source and in all, impressions, clicks, CTR, CPC, the platforms' conversions and value, sessions by channel group,
/// beside the shop's own revenue) and <c>GET /api/marketing/campaigns?shop=&amp;from=&amp;to=</c> (per campaign: spend,
/// clicks, conversions, value, ROAS). Money in minor units of the shop's currency; rates as decimals (0.015 is 1.5 %),
/// null when their denominator is zero.
/// </summary>
public static class MarketingEndpoints
{
    public static IEndpointRouteBuilder MapMarketing(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/marketing", Dashboard);
        app.MapGet("/api/marketing/campaigns", Campaigns);
        return app;
    }

    private sealed record Day(DateOnly Date, long MetaSpend, long GoogleSpend, long Spend, long Impressions, long Clicks, decimal Conversions,
        long ConversionValue, long Sessions, long Users, decimal KeyEvents, long Ga4Revenue, long Orders, long Revenue, int NotComparable);

    private static async Task<Results<Ok<MarketingDashboard>, ProblemHttpResult>> Dashboard(string? shop, string? days,
        [FromQuery(Name = "from")] string? fromText, [FromQuery(Name = "to")] string? toText, NpgsqlDataSource dataSource, TimeProvider clock,
        IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, fromText, toText, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period)
            is { } problem)
            return problem;
        shop = bound;
        var (from, to) = (period.From, period.To);

        await using var command = dataSource.CreateCommand("""
            SELECT m.date, m.currency_code, m.meta_spend_minor, m.google_spend_minor, m.spend_minor, m.impressions, m.clicks,
                   m.meta_conversions + m.google_conversions, m.meta_conversion_value_minor + m.google_conversion_value_minor,
                   m.sessions, m.users, m.key_events, m.ga4_revenue_minor, COALESCE(s.orders, 0), COALESCE(s.revenue_minor, 0), m.not_comparable_rows
            FROM transform.marketing_daily m
            LEFT JOIN transform.sales_metrics_daily s ON s.shop_domain = m.shop_domain AND s.date = m.date
            WHERE m.shop_domain = @shop AND m.date BETWEEN @from AND @to ORDER BY m.date
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var rows = new List<Day>();
        string? currency = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                currency ??= reader.IsDBNull(1) ? null : reader.GetString(1);
                rows.Add(new Day(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetDecimal(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetDecimal(11),
                    reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetInt32(15)));
            }

        var channels = new Dictionary<DateOnly, Dictionary<string, long>>();
        await using (var byChannel = dataSource.CreateCommand("""
            SELECT dd.date, g.name, f.sessions FROM transform.fact_traffic_daily f
            JOIN transform.dim_shop s ON s.shop_key = f.shop_key AND s.shop_domain = @shop
            JOIN transform.dim_channel_group g ON g.channel_group_key = f.channel_group_key
            JOIN transform.dim_date dd ON dd.date_key = f.date_key
            WHERE dd.date BETWEEN @from AND @to
            """))
        {
            byChannel.Parameters.AddWithValue("shop", shop);
            byChannel.Parameters.AddWithValue("from", from);
            byChannel.Parameters.AddWithValue("to", to);
            await using var reader = await byChannel.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var date = reader.GetFieldValue<DateOnly>(0);
                if (!channels.TryGetValue(date, out var day)) channels[date] = day = new Dictionary<string, long>(StringComparer.Ordinal);
                day[reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        MarketingFigures Figures(IReadOnlyCollection<Day> ds, Dictionary<string, long> sessionsByChannel)
        {
            var (spend, impressions, clicks, revenue) = (ds.Sum(d => d.Spend), ds.Sum(d => d.Impressions), ds.Sum(d => d.Clicks), ds.Sum(d => d.Revenue));
            return new MarketingFigures(
                spend,
                new Dictionary<string, long> { [MarketingSources.Meta] = ds.Sum(d => d.MetaSpend), [MarketingSources.GoogleAds] = ds.Sum(d => d.GoogleSpend) },
                impressions,
                clicks,
                Ratios.Of(clicks, impressions, 6),
                Ratios.Minor(spend, clicks),
                ds.Sum(d => d.Conversions),
                ds.Sum(d => d.ConversionValue),
                ds.Sum(d => d.Sessions),
                ds.Sum(d => d.Users),
                ds.Sum(d => d.KeyEvents),
                ds.Sum(d => d.Ga4Revenue),
                sessionsByChannel,
                ds.Sum(d => d.Orders),
                revenue,
                Ratios.Of(revenue, spend),
                ds.Sum(d => d.NotComparable));
        }

        var totalsByChannel = channels.Values.SelectMany(d => d).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return TypedResults.Ok(new MarketingDashboard(shop, from, to, currency, Figures(rows, totalsByChannel),
            [.. rows.Select(d => new MarketingDashboardDay(d.Date, Figures([d], channels.GetValueOrDefault(d.Date) ?? [])))]));
    }

    private static async Task<Results<Ok<CampaignPerformanceList>, ProblemHttpResult>> Campaigns(string? shop, string? days, string? from, string? to,
        NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, from, to, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period) is { } problem)
            return problem;
        shop = bound;
        var (first, last) = (period.From, period.To);

        await using var command = dataSource.CreateCommand("""
            SELECT c.source, c.external_id, c.name, c.channel, min(f.currency_code), bool_and(f.comparable),
                   sum(f.spend_minor), sum(f.impressions), sum(f.clicks), sum(f.conversions), sum(f.conversion_value_minor)
            FROM transform.fact_ad_daily f
            JOIN transform.dim_shop s ON s.shop_key = f.shop_key AND s.shop_domain = @shop
            JOIN transform.dim_campaign c ON c.campaign_key = f.campaign_key
            WHERE f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int
            GROUP BY c.source, c.external_id, c.name, c.channel
            ORDER BY sum(f.spend_minor) DESC, c.source, c.external_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", first);
        command.Parameters.AddWithValue("to", last);
        // The shop's gross margin of the period, exact, for each campaign's profit estimate.
        var profit = (await ProfitReader.Read(dataSource, shop, first, last, cancellationToken)).Figures;
        long? Estimate(long value) => profit.NetSalesMinor == 0
            ? null
            : (long)Math.Round((decimal)value * profit.GrossProfitMinor / profit.NetSalesMinor, MidpointRounding.AwayFromZero);
        var campaigns = new List<CampaignPerformance>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var (spend, impressions, clicks, value) = (reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(10));
                var estimate = reader.GetBoolean(5) ? Estimate(value) : null;
                campaigns.Add(new CampaignPerformance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetBoolean(5), spend, impressions, clicks, Ratios.Of(clicks, impressions, 6), Ratios.Minor(spend, clicks),
                    reader.GetDecimal(9), value, Ratios.Of(value, spend), estimate, estimate is { } gross ? Ratios.Of(gross, spend) : null));
            }
        return TypedResults.Ok(new CampaignPerformanceList(shop, first, last, campaigns, profit.GrossMargin));
    }
}
