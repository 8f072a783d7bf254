using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>Takes the day's stock snapshot of a shop (definitions in inventory_snapshots.sql).</summary>
public sealed class InventorySnapshotRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Sql = SqlScripts.Read("inventory_snapshots.sql");

    public Task<long> Refresh(string shop, DateOnly date, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var thresholds = settings.Inventory;
        return SqlScripts.Replace(dataSource, "DELETE FROM transform.inventory_snapshots WHERE shop_domain = @shop AND snapshot_date = @date", Sql,
            parameters =>
            {
                parameters.AddWithValue("shop", shop);
                parameters.AddWithValue("date", date);
                parameters.AddWithValue("tz", settings.TimeZoneOf(shop));
                parameters.AddWithValue("window", thresholds.VelocityDays);
                parameters.AddWithValue("low_cover", thresholds.LowStockDaysOfCover);
                parameters.AddWithValue("over_cover", thresholds.OverstockDaysOfCover);
                parameters.AddWithValue("fast", thresholds.FastUnitsPerDay);
                parameters.AddWithValue("medium", thresholds.MediumUnitsPerDay);
            },
            cancellationToken);
    }
}
