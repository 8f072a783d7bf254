using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marketing;

/// <summary>
/// Rebuilds the marketing star and <c>marketing_daily</c> of a shop for a range of days (marketing_daily.sql), checks the
/// shop's marketing data, and reads back the figures subscribers are told. One refresh of a shop at a time, in one
/// transaction with its checks.
/// </summary>
public sealed class MarketingRefresher(NpgsqlDataSource dataSource, DataQualityRunner dataQuality, EtlExecutionLog executions, IOptions<MartsOptions> marts)
{
    private static readonly string Sql = SqlScripts.Read("marketing_daily.sql");

    public Task<MarketingRefresh> Refresh(Guid? runId, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        executions.Run(Pipelines.Marketing, runId, shop, from, to, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await AdvisoryLock.TakeForTransaction(connection, transaction, $"marketing:{shop}", cancellationToken);
            await using (var refresh = new NpgsqlCommand(Sql, connection, transaction) { CommandTimeout = SqlScripts.CommandTimeoutSeconds })
            {
                refresh.Parameters.AddWithValue("shop", shop);
                refresh.Parameters.AddWithValue("from", from);
                refresh.Parameters.AddWithValue("to", to);
                refresh.Parameters.AddWithValue("tz", marts.Value.TimeZoneOf(shop));
                await refresh.ExecuteNonQueryAsync(cancellationToken);
            }
            var outcomes = await dataQuality.Run(connection, shop, runId, cancellationToken, MarketingChecks.All);
            var (currency, days) = await Days(connection, shop, from, to, cancellationToken);
            var campaigns = await Campaigns(connection, shop, from, to, cancellationToken);
            var email = await Email(connection, shop, from, to, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new MarketingRefresh(currency, days, campaigns, email, outcomes);
        }, r => r.Days.Count, cancellationToken);

    /// <summary>Each day of the range once per source, read from the mart.</summary>
    private static async Task<(string Currency, List<MarketingSourceDay> Days)> Days(NpgsqlConnection connection, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT date, COALESCE(currency_code, ''), meta_spend_minor, meta_impressions, meta_clicks, meta_conversions, meta_conversion_value_minor,
                   google_spend_minor, google_impressions, google_clicks, google_conversions, google_conversion_value_minor,
                   sessions, users, key_events, ga4_revenue_minor
            FROM transform.marketing_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to ORDER BY date
            """, connection);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var days = new List<MarketingSourceDay>();
        var currency = "";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var date = reader.GetFieldValue<DateOnly>(0);
            currency = reader.GetString(1);
            days.Add(new MarketingSourceDay(date, MarketingSources.Meta, reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetDecimal(5),
                reader.GetInt64(6), 0, 0, 0, 0, 0));
            days.Add(new MarketingSourceDay(date, MarketingSources.GoogleAds, reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetDecimal(10),
                reader.GetInt64(11), 0, 0, 0, 0, 0));
            days.Add(new MarketingSourceDay(date, MarketingSources.Ga4, 0, 0, 0, 0, 0, reader.GetInt64(12), reader.GetInt64(13), reader.GetDecimal(14),
                reader.GetInt64(15), 0));
        }
        return (currency, days);
    }

    /// <summary>Every campaign's comparable days in the range (those in the shop's currency).</summary>
    private static async Task<List<MarketingCampaignDay>> Campaigns(NpgsqlConnection connection, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT dd.date, c.source, c.external_id, c.name, f.spend_minor, f.impressions, f.clicks, f.conversions, f.conversion_value_minor
            FROM transform.fact_ad_daily f
            JOIN transform.dim_shop s ON s.shop_key = f.shop_key AND s.shop_domain = @shop
            JOIN transform.dim_campaign c ON c.campaign_key = f.campaign_key
            JOIN transform.dim_date dd ON dd.date_key = f.date_key
            WHERE f.comparable AND dd.date BETWEEN @from AND @to
            ORDER BY dd.date, c.source, c.external_id
            """, connection);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var campaigns = new List<MarketingCampaignDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            campaigns.Add(new MarketingCampaignDay(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDecimal(7), reader.GetInt64(8)));
        return campaigns;
    }

    /// <summary>Each flow's and campaign's e-mail of the range by day, read from the e-mail mart (revenue in the shop's currency only).</summary>
    private static async Task<List<MarketingEmailDay>> Email(NpgsqlConnection connection, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT date, kind, parent_id, (array_agg(parent_name ORDER BY parent_name NULLS LAST))[1], sum(recipients)::bigint, sum(delivered)::bigint,
                   sum(opens)::bigint, sum(clicks)::bigint, sum(unsubscribes)::bigint, sum(bounces)::bigint, sum(revenue_minor)::bigint
            FROM transform.email_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            GROUP BY date, kind, parent_id ORDER BY date, kind, parent_id
            """, connection);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var email = new List<MarketingEmailDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            email.Add(new MarketingEmailDay(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10)));
        return email;
    }
}
