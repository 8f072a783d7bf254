using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// <c>GET /api/marketing/email?shop=&amp;days=</c> (or <c>from</c> and <c>to</c>; the last 30 days by default): what the shop's
/// e-mail (Klaviyo's flows and campaigns, <c>email_daily</c>) sent and earned in the period against the period before, by kind
/// and by e-mail, day by day, with its 30-day sending statistics. Revenue counts only what an account reports in the shop's
/// currency; its share is of the shop's net sales of the same days.
/// </summary>
public static class EmailEndpoints
{
    public static IEndpointRouteBuilder MapEmail(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/marketing/email", Get)
            .WithSummary("E-mail of a period: recipients, opens, clicks, unsubscribes, bounces, revenue and their rates, by kind, e-mail and day");
        return app;
    }

    private sealed record Row(DateOnly Date, string Kind, string MessageId, string? ParentName, string? MessageName, bool Transactional, long Recipients,
        long Delivered, long Opens, long Clicks, long Unsubscribes, long Bounces, long RevenueMinor);

    private static async Task<Results<Ok<EmailReport>, ProblemHttpResult>> Get(string? shop, string? days, [FromQuery(Name = "from")] string? fromText,
        [FromQuery(Name = "to")] string? toText, NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts,
        CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, fromText, toText, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period)
            is { } problem)
            return problem;
        var previous = period.Previous;
        var rows = await Rows(dataSource, bound, previous.From, period.To, cancellationToken);
        var sales = await NetSales(dataSource, bound, previous.From, period.To, cancellationToken);
        var current = rows.Where(r => r.Date >= period.From).ToList();
        var before = rows.Where(r => r.Date <= previous.To).ToList();
        var now = Figures(current, sales.Where(s => s.Key >= period.From).Sum(s => s.Value));
        var then = Figures(before, sales.Where(s => s.Key <= previous.To).Sum(s => s.Value));
        var change = new Dictionary<string, decimal?>
        {
            ["recipients"] = Ratios.Change(now.Recipients, then.Recipients), ["revenue_minor"] = Ratios.Change(now.RevenueMinor, then.RevenueMinor),
            ["open_rate"] = Ratios.Change(now.OpenRate, then.OpenRate), ["click_rate"] = Ratios.Change(now.ClickRate, then.ClickRate),
            ["unsubscribe_rate"] = Ratios.Change(now.UnsubscribeRate, then.UnsubscribeRate), ["bounce_rate"] = Ratios.Change(now.BounceRate, then.BounceRate),
            ["revenue_per_recipient_minor"] = Ratios.Change(now.RevenuePerRecipientMinor, then.RevenuePerRecipientMinor),
            ["share_of_revenue"] = Ratios.Change(now.ShareOfRevenue, then.ShareOfRevenue),
        };
        var periodSales = sales.Where(s => s.Key >= period.From).Sum(s => s.Value);
        var byKind = new[] { "flow", "campaign" }.ToDictionary(kind => kind, kind => Figures(current.Where(r => r.Kind == kind).ToList(), periodSales));
        var messages = current.GroupBy(r => (r.Kind, r.MessageId))
            .Select(g => new EmailMessageFigures(g.Key.Kind, g.Key.MessageId, g.First().ParentName, g.First().MessageName, g.First().Transactional,
                g.Sum(r => r.Recipients), g.Sum(r => r.Delivered), g.Sum(r => r.Opens), g.Sum(r => r.Clicks), g.Sum(r => r.Unsubscribes),
                g.Sum(r => r.Bounces), g.Sum(r => r.RevenueMinor)))
            .OrderByDescending(m => m.RevenueMinor).ThenByDescending(m => m.Recipients).ThenBy(m => m.MessageId, StringComparer.Ordinal).ToList();
        var daily = Enumerable.Range(0, period.To.DayNumber - period.From.DayNumber + 1).Select(period.From.AddDays).Select(date =>
        {
            var of = current.Where(r => r.Date == date).ToList();
            return new EmailDay(date, of.Where(r => r.Kind == "flow").Sum(r => r.Recipients), of.Where(r => r.Kind == "campaign").Sum(r => r.Recipients),
                of.Where(r => r.Kind == "flow").Sum(r => r.RevenueMinor), of.Where(r => r.Kind == "campaign").Sum(r => r.RevenueMinor));
        }).ToList();
        return TypedResults.Ok(new EmailReport(bound, period.From, period.To, previous.From, previous.To,
            await ShopCurrency.Find(dataSource, bound, cancellationToken), now, then, change, byKind, messages, daily,
            await Stats(dataSource, bound, cancellationToken)));
    }

    private static EmailFigures Figures(IReadOnlyList<Row> rows, long netSales)
    {
        var (recipients, delivered) = (rows.Sum(r => r.Recipients), rows.Sum(r => r.Delivered));
        var (opens, clicks, unsubscribes, bounces) = (rows.Sum(r => r.Opens), rows.Sum(r => r.Clicks), rows.Sum(r => r.Unsubscribes), rows.Sum(r => r.Bounces));
        var revenue = rows.Sum(r => r.RevenueMinor);
        return new EmailFigures(recipients, delivered, opens, clicks, unsubscribes, bounces, revenue, Ratios.Of(opens, delivered), Ratios.Of(clicks, delivered),
            Ratios.Of(unsubscribes, delivered), Ratios.Of(bounces, recipients), Ratios.Minor(revenue, recipients), Ratios.Of(revenue, netSales));
    }


    private static async Task<List<Row>> Rows(NpgsqlDataSource dataSource, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT date, kind, message_id, parent_name, message_name, transactional, recipients, delivered, opens, clicks, unsubscribes, bounces, revenue_minor
            FROM transform.email_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new Row(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8),
                reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12)));
        return rows;
    }

    /// <summary>The shop's net sales by reporting day (the sales pulse's), for e-mail's share of them.</summary>
    private static async Task<Dictionary<DateOnly, long>> NetSales(NpgsqlDataSource dataSource, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT date, net_sales_minor FROM transform.sales_metrics_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to");
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var sales = new Dictionary<DateOnly, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) sales[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt64(1);
        return sales;
    }

    private static async Task<SendingStats?> Stats(NpgsqlDataSource dataSource, string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT window_start, window_end, emails_30d, automation_emails_30d, campaign_emails_30d, transactional_emails_30d, updated_at
            FROM transform.sending_stats_30d WHERE shop_domain = @shop
            """);
        command.Parameters.AddWithValue("shop", shop);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SendingStats(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6))
            : null;
    }
}
