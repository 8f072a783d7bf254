using GrowthOs.Contracts.Sales;
using GrowthOs.KpiAlert.Kpis;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Copies;

/// <summary>
/// Keeps this service's copy of daily sales, of the customers who ordered each day and of the products sold. A day is taken only from a
/// computation at least as new as the one the copy holds (<see cref="DailySalesUpdated.ComputedAt"/>): a late or
/// repeated event changes nothing. Then the KPIs are recomputed.
/// </summary>
public sealed class SalesCopyConsumer(NpgsqlDataSource dataSource, KpiRefresh refresh, TimeProvider clock, ILogger<SalesCopyConsumer> logger)
    : IConsumer<DailySalesUpdated>
{
    public async Task Consume(ConsumeContext<DailySalesUpdated> context)
    {
        var message = context.Message;
        var computedAt = message.ComputedAt ?? clock.GetUtcNow();
        var taken = 0;
        await using (var connection = await dataSource.OpenConnectionAsync(context.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(context.CancellationToken))
        {
            foreach (var day in message.Days)
            {
                await using var upsert = new NpgsqlCommand("""
                    INSERT INTO kpi.daily_sales AS d (shop_domain, date, currency_code, orders, revenue_minor, units, refunds_minor, computed_at,
                        net_sales_minor, cogs_minor, shipping_cost_minor, payment_fees_minor, fixed_expenses_minor, first_orders,
                        first_order_revenue_minor, repeat_orders, repeat_revenue_minor)
                    VALUES (@shop, @date, @currency, @orders, @revenue, @units, @refunds, @at, @net, @cogs, @shipping, @fees, @fixed, @first_orders,
                        @first_revenue, @repeat_orders, @repeat_revenue)
                    ON CONFLICT (shop_domain, date) DO UPDATE SET currency_code = EXCLUDED.currency_code, orders = EXCLUDED.orders,
                        revenue_minor = EXCLUDED.revenue_minor, units = EXCLUDED.units, refunds_minor = EXCLUDED.refunds_minor,
                        computed_at = EXCLUDED.computed_at, net_sales_minor = EXCLUDED.net_sales_minor, cogs_minor = EXCLUDED.cogs_minor,
                        shipping_cost_minor = EXCLUDED.shipping_cost_minor, payment_fees_minor = EXCLUDED.payment_fees_minor,
                        fixed_expenses_minor = EXCLUDED.fixed_expenses_minor, first_orders = EXCLUDED.first_orders,
                        first_order_revenue_minor = EXCLUDED.first_order_revenue_minor, repeat_orders = EXCLUDED.repeat_orders,
                        repeat_revenue_minor = EXCLUDED.repeat_revenue_minor
                    WHERE d.computed_at <= EXCLUDED.computed_at
                    RETURNING 1
                    """, connection, transaction);
                upsert.Parameters.AddWithValue("shop", message.ShopDomain);
                upsert.Parameters.AddWithValue("date", day.Date);
                upsert.Parameters.AddWithValue("currency", message.CurrencyCode);
                upsert.Parameters.AddWithValue("orders", day.Orders);
                upsert.Parameters.AddWithValue("revenue", day.RevenueMinor);
                upsert.Parameters.AddWithValue("units", day.Units);
                upsert.Parameters.AddWithValue("refunds", day.RefundsMinor);
                upsert.Parameters.AddWithValue("at", computedAt);
                var profit = day.Profit;
                void Money(string name, long? value) =>
                    upsert.Parameters.Add(new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)value ?? DBNull.Value });
                Money("net", profit?.NetSalesMinor);
                Money("cogs", profit?.CogsMinor);
                Money("shipping", profit?.ShippingCostMinor);
                Money("fees", profit?.PaymentFeesMinor);
                Money("fixed", profit?.FixedExpensesMinor);
                Money("first_orders", profit?.FirstOrders);
                Money("first_revenue", profit?.FirstOrderRevenueMinor);
                Money("repeat_orders", profit?.RepeatOrders);
                Money("repeat_revenue", profit?.RepeatRevenueMinor);
                if (await upsert.ExecuteScalarAsync(context.CancellationToken) is null) continue;
                taken++;
                if (day.Products is { } products)
                    await ReplaceProducts(connection, transaction, message.ShopDomain, day.Date, products, context.CancellationToken);
                if (day.Customers is null) continue;

                await using var clear = new NpgsqlCommand("DELETE FROM kpi.customer_day WHERE shop_domain = @shop AND date = @date", connection, transaction);
                clear.Parameters.AddWithValue("shop", message.ShopDomain);
                clear.Parameters.AddWithValue("date", day.Date);
                await clear.ExecuteNonQueryAsync(context.CancellationToken);
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO kpi.customer_day (shop_domain, date, customer_id, orders, first_order_date)
                    SELECT @shop, @date, c.* FROM unnest(@customers, @orders, @firsts) AS c(customer_id, orders, first_order_date)
                    WHERE NOT EXISTS (SELECT 1 FROM kpi.redacted_customer r WHERE r.shop_domain = @shop AND r.customer_id = c.customer_id)
                    """, connection, transaction);
                insert.Parameters.AddWithValue("shop", message.ShopDomain);
                insert.Parameters.AddWithValue("date", day.Date);
                insert.Parameters.AddWithValue("customers", day.Customers.Select(c => c.CustomerId).ToArray());
                insert.Parameters.AddWithValue("orders", day.Customers.Select(c => c.Orders).ToArray());
                insert.Parameters.AddWithValue("firsts", day.Customers.Select(c => c.FirstOrderDate).ToArray());
                await insert.ExecuteNonQueryAsync(context.CancellationToken);
            }
            await transaction.CommitAsync(context.CancellationToken);
        }
        logger.LogInformation("Copied {Taken} of {Days} days of sales of {ShopDomain} computed at {ComputedAt:o}", taken, message.Days.Count,
            message.ShopDomain, computedAt);
        await refresh.Publish(context, message.RunId, message.ShopDomain);
    }

    private static async Task ReplaceProducts(NpgsqlConnection connection, NpgsqlTransaction transaction, string shop, DateOnly date,
        IReadOnlyList<ProductSales> products, CancellationToken cancellationToken)
    {
        await using var clear = new NpgsqlCommand("DELETE FROM kpi.product_day WHERE shop_domain = @shop AND date = @date", connection, transaction);
        clear.Parameters.AddWithValue("shop", shop);
        clear.Parameters.AddWithValue("date", date);
        await clear.ExecuteNonQueryAsync(cancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO kpi.product_day (shop_domain, date, product_id, title, units, net_revenue_minor)
            SELECT @shop, @date, p.* FROM unnest(@products, @titles, @units, @revenue) AS p(product_id, title, units, net_revenue_minor)
            """, connection, transaction);
        insert.Parameters.AddWithValue("shop", shop);
        insert.Parameters.AddWithValue("date", date);
        insert.Parameters.AddWithValue("products", products.Select(p => p.ProductId).ToArray());
        insert.Parameters.AddWithValue("titles", products.Select(p => p.Title).ToArray());
        insert.Parameters.AddWithValue("units", products.Select(p => p.Units).ToArray());
        insert.Parameters.AddWithValue("revenue", products.Select(p => p.NetRevenueMinor).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
