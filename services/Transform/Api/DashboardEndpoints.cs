using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// The stock and customer dashboards: <c>GET /api/dashboard/inventory-alerts</c>, <c>/api/dashboard/inventory-fulfillment</c>
/// and <c>/api/dashboard/customer-segments</c>.
/// </summary>
public static class DashboardEndpoints
{
    public static readonly IReadOnlyList<string> StockStatuses = ["out_of_stock", "low_stock", "overstock"];

    public static IEndpointRouteBuilder MapDashboards(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/inventory-alerts", InventoryAlerts);
        app.MapGet("/api/dashboard/inventory-fulfillment", InventoryFulfillment)
            .WithSummary("Inventory alerts against fulfillment: the orders waiting for each variant out of stock or low, and the late fulfillments by day");
        app.MapGet("/api/dashboard/customer-segments", CustomerSegments);
        return app;
    }

    /// <summary>
    /// The orders waiting for each variant out of stock or low, and per reporting day of the period (<c>days</c>, or <c>from</c>
    /// and <c>to</c>; the last 30 by default) the share of late fulfillments that hold a variant in alert; <c>late_hours</c>
    /// (1 to 1,440; <c>Marts:Inventory:LateFulfillmentHours</c>, 48, by default) says when a fulfillment is late.
    /// </summary>
    private static async Task<Results<Ok<InventoryFulfillmentReport>, ProblemHttpResult>> InventoryFulfillment(string? shop, string? days,
        [FromQuery(Name = "from")] string? fromText, [FromQuery(Name = "to")] string? toText, [FromQuery(Name = "late_hours")] string? lateHours,
        NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, fromText, toText, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period)
            is { } problem)
            return problem;
        if (!QueryValues.TryInt(lateHours, 1, 24 * 60, out var late))
            return Problems.InvalidParameter("late_hours", "late_hours must be a whole number of hours between 1 and 1440.");
        var inventory = marts.Value.Inventory;
        return TypedResults.Ok(await FulfillmentReader.Read(dataSource, bound, marts.Value.TimeZoneOf(bound), period.From, period.To, clock.GetUtcNow(),
            late ?? inventory.LateFulfillmentHours, inventory.WaitingDays, cancellationToken));
    }

    /// <summary>The latest snapshot's variants out of stock, low or overstocked, the most urgent first.</summary>
    private static async Task<Results<Ok<InventoryAlertList>, ProblemHttpResult>> InventoryAlerts(string? shop, string? status, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = domain;
        if (status is not null && !StockStatuses.Contains(status))
            return Problems.InvalidParameter("status", $"status must be one of {string.Join(", ", StockStatuses)}.");

        await using var command = dataSource.CreateCommand("""
            SELECT snapshot_date, variant_id, product_id, sku, product_title, variant_title, quantity_available, locations, units_sold_30d,
                   daily_velocity, days_of_cover, stock_status, velocity_tier, severity
            FROM transform.v_inventory_alerts
            WHERE shop_domain = @shop AND (@status::text IS NULL OR stock_status = @status)
            ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, daily_velocity DESC, days_of_cover NULLS LAST, variant_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)status ?? DBNull.Value });
        var alerts = new List<InventoryAlert>();
        var statuses = new List<string>();
        DateOnly? snapshotDate = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                snapshotDate ??= reader.GetFieldValue<DateOnly>(0);
                statuses.Add(reader.GetString(11));
                alerts.Add(new InventoryAlert(
                    reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetInt32(6),
                    reader.GetInt32(7),
                    reader.GetInt32(8),
                    reader.GetDecimal(9),
                    reader.IsDBNull(10) ? null : reader.GetDecimal(10),
                    reader.GetString(11),
                    reader.GetString(12),
                    reader.GetString(13)));
            }
        }
        return TypedResults.Ok(new InventoryAlertList(shop, snapshotDate, StockStatuses.ToDictionary(s => s, s => statuses.Count(x => x == s)), alerts));
    }

    /// <summary>Customers by segment and lifecycle stage, with their orders, spend and average order value.</summary>
    private static async Task<Results<Ok<CustomerSegmentSummary>, ProblemHttpResult>> CustomerSegments(string? shop, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = domain;

        await using var command = dataSource.CreateCommand("""
            SELECT as_of_date, segment, lifecycle_stage, customers, orders, spent_minor, average_aov_minor, currency_code
            FROM transform.v_customer_segment_summary WHERE shop_domain = @shop
            ORDER BY CASE segment WHEN 'Professional Shop' THEN 0 WHEN 'Enthusiast Collector' THEN 1 WHEN 'DIY Builder' THEN 2 ELSE 3 END,
                     CASE lifecycle_stage WHEN 'active' THEN 0 WHEN 'at_risk' THEN 1 ELSE 2 END
            """);
        command.Parameters.AddWithValue("shop", shop);
        var rows = new List<(DateOnly AsOf, string Segment, string Stage, long Customers, long Orders, long Spent, long Aov, string? Currency)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                    reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7)));

        return TypedResults.Ok(new CustomerSegmentSummary(
            shop,
            rows.Count > 0 ? rows[0].AsOf : null,
            rows.Select(r => r.Currency).FirstOrDefault(c => c is not null),
            rows.Sum(r => r.Customers),
            [
                .. rows.GroupBy(r => r.Segment).Select(g => new CustomerSegment(
                    g.Key, g.Sum(r => r.Customers), g.Sum(r => r.Orders), g.Sum(r => r.Spent), g.ToDictionary(r => r.Stage, r => r.Customers))),
            ],
            rows.GroupBy(r => r.Stage).ToDictionary(g => g.Key, g => g.Sum(r => r.Customers)),
            [.. rows.Select(r => new CustomerSegmentRow(r.Segment, r.Stage, r.Customers, r.Orders, r.Spent, r.Aov))]));
    }
}
