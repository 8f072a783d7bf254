using GrowthOs.Contracts.Marketing;
using GrowthOs.KpiAlert.Kpis;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Copies;

/// <summary>
/// Keeps this service's copy of the marketing figures per day and source, per campaign and day, and per e-mail flow or
/// campaign and day. A day is taken whole (every source, campaign and e-mail of it) only from a computation at least as
/// new as the one the copy holds; a computation that carries no e-mail (null) leaves the day's e-mail as it was. Then the
/// KPIs are recomputed.
/// </summary>
public sealed class MarketingCopyConsumer(NpgsqlDataSource dataSource, KpiRefresh refresh, ILogger<MarketingCopyConsumer> logger)
    : IConsumer<MarketingDailyUpdated>
{
    public async Task Consume(ConsumeContext<MarketingDailyUpdated> context)
    {
        var message = context.Message;
        var taken = 0;
        await using (var connection = await dataSource.OpenConnectionAsync(context.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(context.CancellationToken))
        {
            foreach (var date in message.Days.Select(d => d.Date).Distinct())
            {
                await using (var newer = new NpgsqlCommand(
                    "SELECT EXISTS (SELECT 1 FROM kpi.marketing_day WHERE shop_domain = @shop AND date = @date AND computed_at > @at)",
                    connection, transaction))
                {
                    newer.Parameters.AddWithValue("shop", message.ShopDomain);
                    newer.Parameters.AddWithValue("date", date);
                    newer.Parameters.AddWithValue("at", message.ComputedAt);
                    if ((bool)(await newer.ExecuteScalarAsync(context.CancellationToken))!) continue;
                }
                taken++;
                await using (var clear = new NpgsqlCommand("""
                    DELETE FROM kpi.marketing_day WHERE shop_domain = @shop AND date = @date;
                    DELETE FROM kpi.campaign_day WHERE shop_domain = @shop AND date = @date;
                    """, connection, transaction))
                {
                    clear.Parameters.AddWithValue("shop", message.ShopDomain);
                    clear.Parameters.AddWithValue("date", date);
                    await clear.ExecuteNonQueryAsync(context.CancellationToken);
                }
                foreach (var day in message.Days.Where(d => d.Date == date))
                {
                    await using var insert = new NpgsqlCommand("""
                        INSERT INTO kpi.marketing_day (shop_domain, date, source, currency_code, spend_minor, impressions, clicks, conversions,
                            conversion_value_minor, sessions, users, key_events, revenue_minor, computed_at)
                        VALUES (@shop, @date, @source, @currency, @spend, @impressions, @clicks, @conversions, @value, @sessions, @users, @events,
                            @revenue, @at)
                        """, connection, transaction);
                    insert.Parameters.AddWithValue("shop", message.ShopDomain);
                    insert.Parameters.AddWithValue("date", date);
                    insert.Parameters.AddWithValue("source", day.Source);
                    insert.Parameters.AddWithValue("currency", message.CurrencyCode);
                    insert.Parameters.AddWithValue("spend", day.SpendMinor);
                    insert.Parameters.AddWithValue("impressions", day.Impressions);
                    insert.Parameters.AddWithValue("clicks", day.Clicks);
                    insert.Parameters.AddWithValue("conversions", day.Conversions);
                    insert.Parameters.AddWithValue("value", day.ConversionValueMinor);
                    insert.Parameters.AddWithValue("sessions", day.Sessions);
                    insert.Parameters.AddWithValue("users", day.Users);
                    insert.Parameters.AddWithValue("events", day.KeyEvents);
                    insert.Parameters.AddWithValue("revenue", day.RevenueMinor);
                    insert.Parameters.AddWithValue("at", message.ComputedAt);
                    await insert.ExecuteNonQueryAsync(context.CancellationToken);
                }
                if (message.Email is { } email) await CopyEmail(connection, transaction, message.ShopDomain, date, email, context.CancellationToken);
                var campaigns = message.Campaigns.Where(c => c.Date == date).ToList();
                if (campaigns.Count == 0) continue;
                await using var insertCampaigns = new NpgsqlCommand("""
                    INSERT INTO kpi.campaign_day (shop_domain, date, source, campaign_id, campaign_name, spend_minor, impressions, clicks, conversions,
                        conversion_value_minor)
                    SELECT @shop, @date, c.* FROM unnest(@source, @id, @name, @spend, @impressions, @clicks, @conversions, @value)
                        AS c(source, campaign_id, campaign_name, spend_minor, impressions, clicks, conversions, conversion_value_minor)
                    """, connection, transaction);
                insertCampaigns.Parameters.AddWithValue("shop", message.ShopDomain);
                insertCampaigns.Parameters.AddWithValue("date", date);
                insertCampaigns.Parameters.AddWithValue("source", campaigns.Select(c => c.Source).ToArray());
                insertCampaigns.Parameters.AddWithValue("id", campaigns.Select(c => c.CampaignId).ToArray());
                insertCampaigns.Parameters.AddWithValue("name", campaigns.Select(c => c.CampaignName).ToArray());
                insertCampaigns.Parameters.AddWithValue("spend", campaigns.Select(c => c.SpendMinor).ToArray());
                insertCampaigns.Parameters.AddWithValue("impressions", campaigns.Select(c => c.Impressions).ToArray());
                insertCampaigns.Parameters.AddWithValue("clicks", campaigns.Select(c => c.Clicks).ToArray());
                insertCampaigns.Parameters.AddWithValue("conversions", campaigns.Select(c => c.Conversions).ToArray());
                insertCampaigns.Parameters.AddWithValue("value", campaigns.Select(c => c.ConversionValueMinor).ToArray());
                await insertCampaigns.ExecuteNonQueryAsync(context.CancellationToken);
            }
            await transaction.CommitAsync(context.CancellationToken);
        }
        logger.LogInformation("Copied {Taken} marketing days of {ShopDomain} ({From} to {To}) computed at {ComputedAt:o}",
            taken, message.ShopDomain, message.From, message.To, message.ComputedAt);
        await refresh.Publish(context, message.RunId, message.ShopDomain);
    }

    private static async Task CopyEmail(NpgsqlConnection connection, NpgsqlTransaction transaction, string shop, DateOnly date,
        IReadOnlyList<MarketingEmailDay> email, CancellationToken cancellationToken)
    {
        var days = email.Where(e => e.Date == date).ToList();
        await using var copy = new NpgsqlCommand("""
            DELETE FROM kpi.email_day WHERE shop_domain = @shop AND date = @date;
            INSERT INTO kpi.email_day (shop_domain, date, kind, parent_id, parent_name, recipients, delivered, opens, clicks, unsubscribes, bounces,
                revenue_minor)
            SELECT @shop, @date, e.* FROM unnest(@kind, @parent, @name, @recipients, @delivered, @opens, @clicks, @unsubscribes, @bounces, @revenue)
                AS e(kind, parent_id, parent_name, recipients, delivered, opens, clicks, unsubscribes, bounces, revenue_minor);
            """, connection, transaction);
        copy.Parameters.AddWithValue("shop", shop);
        copy.Parameters.AddWithValue("date", date);
        copy.Parameters.AddWithValue("kind", days.Select(e => e.Kind).ToArray());
        copy.Parameters.AddWithValue("parent", days.Select(e => e.ParentId).ToArray());
        copy.Parameters.AddWithValue("name", days.Select(e => e.ParentName).ToArray());
        copy.Parameters.AddWithValue("recipients", days.Select(e => e.Recipients).ToArray());
        copy.Parameters.AddWithValue("delivered", days.Select(e => e.Delivered).ToArray());
        copy.Parameters.AddWithValue("opens", days.Select(e => e.Opens).ToArray());
        copy.Parameters.AddWithValue("clicks", days.Select(e => e.Clicks).ToArray());
        copy.Parameters.AddWithValue("unsubscribes", days.Select(e => e.Unsubscribes).ToArray());
        copy.Parameters.AddWithValue("bounces", days.Select(e => e.Bounces).ToArray());
        copy.Parameters.AddWithValue("revenue", days.Select(e => e.RevenueMinor).ToArray());
        await copy.ExecuteNonQueryAsync(cancellationToken);
    }
}
