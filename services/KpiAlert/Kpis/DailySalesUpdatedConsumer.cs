using GrowthOs.Contracts.Kpi;
using GrowthOs.Contracts.Sales;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Kpis;

/// <summary>Keeps this service's copy of daily sales, recomputes the week-over-week KPIs, and publishes them.</summary>
public sealed class DailySalesUpdatedConsumer(NpgsqlDataSource dataSource, ILogger<DailySalesUpdatedConsumer> logger) : IConsumer<DailySalesUpdated>
{
    public async Task Consume(ConsumeContext<DailySalesUpdated> context)
    {
        var message = context.Message;
        var asOf = message.Days.Max(d => d.Date);
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);

        foreach (var day in message.Days)
        {
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO kpi.daily_sales (shop_domain, date, currency_code, orders, revenue_minor) VALUES (@shop, @date, @currency, @orders, @revenue)
                ON CONFLICT (shop_domain, date) DO UPDATE SET currency_code = EXCLUDED.currency_code, orders = EXCLUDED.orders, revenue_minor = EXCLUDED.revenue_minor
                """, connection, transaction);
            upsert.Parameters.AddWithValue("shop", message.ShopDomain);
            upsert.Parameters.AddWithValue("date", day.Date);
            upsert.Parameters.AddWithValue("currency", message.CurrencyCode);
            upsert.Parameters.AddWithValue("orders", day.Orders);
            upsert.Parameters.AddWithValue("revenue", day.RevenueMinor);
            await upsert.ExecuteNonQueryAsync(context.CancellationToken);
        }

        var window = new List<DailySalesFigure>();
        await using (var select = new NpgsqlCommand(
            "SELECT date, orders, revenue_minor FROM kpi.daily_sales WHERE shop_domain = @shop AND date BETWEEN @from AND @to", connection, transaction))
        {
            select.Parameters.AddWithValue("shop", message.ShopDomain);
            select.Parameters.AddWithValue("from", asOf.AddDays(1 - 2 * WeekOverWeek.WeekDays));
            select.Parameters.AddWithValue("to", asOf);
            await using var reader = await select.ExecuteReaderAsync(context.CancellationToken);
            while (await reader.ReadAsync(context.CancellationToken))
                window.Add(new DailySalesFigure(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1), reader.GetInt64(2)));
        }

        var kpis = WeekOverWeek.Compute(window, asOf);
        foreach (var kpi in kpis)
        {
            await using var save = new NpgsqlCommand("""
                INSERT INTO kpi.kpi_snapshot (shop_domain, as_of, kpi, currency_code, current_value, previous_value, change_basis_points, run_id)
                VALUES (@shop, @asOf, @kpi, @currency, @current, @previous, @change, @run)
                ON CONFLICT (shop_domain, as_of, kpi) DO UPDATE SET currency_code = EXCLUDED.currency_code, current_value = EXCLUDED.current_value,
                    previous_value = EXCLUDED.previous_value, change_basis_points = EXCLUDED.change_basis_points, computed_at = now(), run_id = EXCLUDED.run_id
                """, connection, transaction);
            save.Parameters.AddWithValue("shop", message.ShopDomain);
            save.Parameters.AddWithValue("asOf", asOf);
            save.Parameters.AddWithValue("kpi", kpi.Name);
            save.Parameters.AddWithValue("currency", message.CurrencyCode);
            save.Parameters.AddWithValue("current", kpi.Current);
            save.Parameters.AddWithValue("previous", kpi.Previous);
            save.Parameters.AddWithValue("change", (object?)kpi.ChangeBasisPoints ?? DBNull.Value);
            save.Parameters.AddWithValue("run", message.RunId);
            await save.ExecuteNonQueryAsync(context.CancellationToken);
        }
        await transaction.CommitAsync(context.CancellationToken);

        logger.LogInformation("KPIs as of {AsOf}: {Kpis}", asOf, string.Join(", ", kpis.Select(k => $"{k.Name}={k.Current} ({k.ChangeBasisPoints?.ToString() ?? "n/a"} bp)")));
        await context.Publish(new KpiSnapshotComputed(message.RunId, message.ShopDomain, asOf, message.CurrencyCode, kpis));
    }
}
