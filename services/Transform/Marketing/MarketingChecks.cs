using GrowthOs.Contracts.Marketing;
using GrowthOs.Transform.Marts;

namespace GrowthOs.Transform.Marketing;

/// <summary>The data-quality checks of a shop's marketing data, run after every marketing refresh.</summary>
public static class MarketingChecks
{
    public static readonly IReadOnlyList<DataQualityCheck> All =
    [
        new("marketing_no_negative_figures", Severity.Critical,
            "No campaign day has negative spend, impressions, clicks, conversions or value, "
            + "and no channel day negative sessions, users, key events or revenue.",
            """
            SELECT (SELECT count(*) FROM transform.ad_campaign_day WHERE shop_domain = @shop
                      AND (spend_minor < 0 OR impressions < 0 OR clicks < 0 OR conversions < 0 OR conversion_value_minor < 0))
                 + (SELECT count(*) FROM transform.traffic_channel_day WHERE shop_domain = @shop
                      AND (sessions < 0 OR users < 0 OR key_events < 0 OR revenue_minor < 0))
            """),
        new("marketing_clicks_within_impressions", Severity.Warning,
            "No campaign day has more clicks than impressions.",
            "SELECT count(*) FROM transform.ad_campaign_day WHERE shop_domain = @shop AND clicks > impressions"),
        new("marketing_every_fact_has_its_campaign", Severity.Critical,
            "Every ad fact of the shop names a campaign of its dimension.",
            """
            SELECT count(*) FROM transform.fact_ad_daily f JOIN transform.dim_shop s ON s.shop_key = f.shop_key AND s.shop_domain = @shop
            WHERE NOT EXISTS (SELECT 1 FROM transform.dim_campaign c WHERE c.campaign_key = f.campaign_key AND c.shop_key = f.shop_key)
            """),
        new("marketing_one_currency_per_account", Severity.Critical,
            "Each ad account or property reports in one currency (violations: currencies beyond the first).",
            """
            SELECT COALESCE(sum(n - 1), 0) FROM (
                SELECT count(DISTINCT currency_code) AS n FROM transform.marketing_account WHERE shop_domain = @shop GROUP BY source, account_id) a
            """),
        new("marketing_currency_is_the_shops", Severity.Warning,
            "Every account reports in the shop's currency; rows in another currency are left out of the shop's money sums.",
            """
            SELECT count(*) FROM transform.marketing_account a
            WHERE a.shop_domain = @shop AND transform.shop_currency(@shop) IS NOT NULL AND a.currency_code <> transform.shop_currency(@shop)
            """),
        new("marketing_time_zone_is_the_shops", Severity.Warning,
            "Every account that names its time zone reports in the shop's reporting time zone (its days are taken as the shop's).",
            """
            SELECT count(*) FROM transform.marketing_account a
            WHERE a.shop_domain = @shop AND a.time_zone IS NOT NULL
              AND a.time_zone <> @tz AND NOT (@tz IN ('UTC', 'Etc/UTC', 'GMT') AND a.time_zone IN ('UTC', 'Etc/UTC', 'GMT'))
            """),
        new("marketing_no_gap_in_synced_range", Severity.Warning,
            "Every day from a source's first synced day to its last was covered by some load (violations: the days no load covered).",
            """
            SELECT count(*) FROM (
                SELECT r.source, generate_series(min(r.since), max(r.until), interval '1 day')::date AS day
                FROM transform.marketing_synced_range r WHERE r.shop_domain = @shop GROUP BY r.source) d
            WHERE NOT EXISTS (SELECT 1 FROM transform.marketing_synced_range r
                              WHERE r.shop_domain = @shop AND r.source = d.source AND d.day BETWEEN r.since AND r.until)
            """),
        new("marketing_totals_match_their_campaigns", Severity.Critical,
            "Each day's spend, clicks and value per platform in marketing_daily equal the sum of its campaigns' facts.",
            """
            SELECT count(*) FROM transform.marketing_daily m
            JOIN transform.dim_shop s ON s.shop_domain = m.shop_domain
            LEFT JOIN (
                SELECT f.date_key,
                       COALESCE(sum(f.spend_minor) FILTER (WHERE c.source = 'meta' AND f.comparable), 0) AS meta_spend,
                       COALESCE(sum(f.spend_minor) FILTER (WHERE c.source = 'google_ads' AND f.comparable), 0) AS google_spend,
                       COALESCE(sum(f.clicks), 0) AS clicks,
                       COALESCE(sum(f.conversion_value_minor) FILTER (WHERE f.comparable), 0) AS value
                FROM transform.fact_ad_daily f JOIN transform.dim_campaign c ON c.campaign_key = f.campaign_key
                JOIN transform.dim_shop s ON s.shop_key = f.shop_key AND s.shop_domain = @shop
                GROUP BY f.date_key) f ON f.date_key = to_char(m.date, 'YYYYMMDD')::int
            WHERE m.shop_domain = @shop
              AND (m.meta_spend_minor <> COALESCE(f.meta_spend, 0) OR m.google_spend_minor <> COALESCE(f.google_spend, 0)
                   OR m.clicks <> COALESCE(f.clicks, 0) OR m.meta_conversion_value_minor + m.google_conversion_value_minor <> COALESCE(f.value, 0))
            """),
        .. MarketingSources.All.Select(RowsRejected),
    ];

    /// <summary>
    /// One check a source, named by it: the source's latest load left out at least <c>Marts:MarketingRejectedShare</c> of
    /// its rows (violations: 1), so its figures are missing rather than zero.
    /// </summary>
    private static DataQualityCheck RowsRejected(string source) => new($"marketing_rows_rejected_{source}", Severity.Warning,
        $"The latest {source} load kept most of its rows: it left out less than Marts:MarketingRejectedShare of them "
        + "(the reasons are in the run and the Transform's log).",
        $"""
        SELECT count(*) FROM (
            SELECT rows, rejected FROM transform.marketing_synced_range
            WHERE shop_domain = @shop AND source = '{source}' ORDER BY loaded_at DESC LIMIT 1) latest
        WHERE rejected > 0 AND rejected::numeric / (rows + rejected) >= @rejected_share
        """);
}
