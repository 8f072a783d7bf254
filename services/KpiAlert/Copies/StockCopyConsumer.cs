using GrowthOs.Contracts.Inventory;
using GrowthOs.KpiAlert.Alerts;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Copies;

/// <summary>
/// Keeps the latest stock snapshot's variants not in stock (<c>kpi.stock_alert</c>), replaced whole by a snapshot
/// computed later, never by an older one; then the shop's alert rules are evaluated.
/// </summary>
public sealed class StockCopyConsumer(NpgsqlDataSource dataSource, AlertEvaluator alerts) : IConsumer<StockAlertsUpdated>
{
    public async Task Consume(ConsumeContext<StockAlertsUpdated> context)
    {
        var message = context.Message;
        await using (var connection = await dataSource.OpenConnectionAsync(context.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(context.CancellationToken))
        {
            await GrowthOs.ServiceDefaults.Persistence.AdvisoryLock.TakeForTransaction(connection, transaction, $"stock:{message.ShopDomain}",
                context.CancellationToken);
            await using (var newer = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM kpi.stock_alert WHERE shop_domain = @shop AND computed_at > @at)", connection, transaction))
            {
                newer.Parameters.AddWithValue("shop", message.ShopDomain);
                newer.Parameters.AddWithValue("at", message.ComputedAt);
                if ((bool)(await newer.ExecuteScalarAsync(context.CancellationToken))!) return;
            }
            await using (var clear = new NpgsqlCommand("DELETE FROM kpi.stock_alert WHERE shop_domain = @shop", connection, transaction))
            {
                clear.Parameters.AddWithValue("shop", message.ShopDomain);
                await clear.ExecuteNonQueryAsync(context.CancellationToken);
            }
            var v = message.Variants;
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO kpi.stock_alert (shop_domain, variant_id, product_id, sku, title, stock_status, velocity_tier, daily_velocity, days_of_cover,
                    quantity_available, snapshot_date, computed_at)
                SELECT @shop, a.*, @date, @at FROM unnest(@variant, @product, @sku, @title, @status, @tier, @velocity, @cover, @available)
                    AS a(variant_id, product_id, sku, title, stock_status, velocity_tier, daily_velocity, days_of_cover, quantity_available)
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue("shop", message.ShopDomain);
                insert.Parameters.AddWithValue("date", message.SnapshotDate);
                insert.Parameters.AddWithValue("at", message.ComputedAt);
                insert.Parameters.AddWithValue("variant", v.Select(x => x.VariantId).ToArray());
                insert.Parameters.AddWithValue("product", v.Select(x => x.ProductId).ToArray());
                insert.Parameters.AddWithValue("sku", v.Select(x => x.Sku).ToArray());
                insert.Parameters.AddWithValue("title", v.Select(x => x.Title).ToArray());
                insert.Parameters.AddWithValue("status", v.Select(x => x.StockStatus).ToArray());
                insert.Parameters.AddWithValue("tier", v.Select(x => x.VelocityTier).ToArray());
                insert.Parameters.AddWithValue("velocity", v.Select(x => x.DailyVelocity).ToArray());
                insert.Parameters.AddWithValue("cover", v.Select(x => x.DaysOfCover).ToArray());
                insert.Parameters.AddWithValue("available", v.Select(x => x.QuantityAvailable).ToArray());
                await insert.ExecuteNonQueryAsync(context.CancellationToken);
            }
            await transaction.CommitAsync(context.CancellationToken);
        }
        await alerts.Evaluate(context, message.ShopDomain, context.CancellationToken);
    }
}
