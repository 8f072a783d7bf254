using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Transform.Loading;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>SQL kept beside the code that runs it, embedded in the assembly.</summary>
public static class SqlScripts
{
    /// <summary>A mart refresh of a large shop takes seconds to a few minutes, not the default 30 s.</summary>
    public const int CommandTimeoutSeconds = 600;

    public static string Read(string name)
    {
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Embedded SQL {name} is missing.");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Replaces what <paramref name="clear"/> removes with what <paramref name="insert"/> writes, in one transaction; returns the rows written.</summary>
    public static async Task<long> Replace(NpgsqlDataSource dataSource, string clear, string insert, Action<NpgsqlParameterCollection> parameters,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand(clear, connection, transaction) { CommandTimeout = CommandTimeoutSeconds })
        {
            parameters(delete.Parameters);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var write = new NpgsqlCommand(insert, connection, transaction) { CommandTimeout = CommandTimeoutSeconds };
        parameters(write.Parameters);
        var rows = await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }
}

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

/// <summary>Rebuilds the customer segments of a shop as of a day (definitions in customer_segments.sql).</summary>
public sealed class CustomerSegmentRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Sql = SqlScripts.Read("customer_segments.sql");

    public async Task<long> Refresh(string shop, DateOnly asOf, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var thresholds = settings.Segments;
        var exponent = Money.Exponent(await ShopCurrency.Find(dataSource, shop, cancellationToken) ?? "USD");
        long Minor(decimal major) => (long)decimal.Round(major * Pow10(exponent), 0, MidpointRounding.AwayFromZero);
        return await SqlScripts.Replace(dataSource, "DELETE FROM transform.customer_segments WHERE shop_domain = @shop", Sql,
            parameters =>
            {
                parameters.AddWithValue("shop", shop);
                parameters.AddWithValue("as_of", asOf);
                parameters.AddWithValue("tz", settings.TimeZoneOf(shop));
                parameters.AddWithValue("pro_orders", (long)thresholds.ProfessionalOrders);
                parameters.AddWithValue("pro_aov", Minor(thresholds.ProfessionalAov));
                parameters.AddWithValue("enthusiast_orders", (long)thresholds.EnthusiastOrders);
                parameters.AddWithValue("enthusiast_aov", Minor(thresholds.EnthusiastAov));
                parameters.AddWithValue("diy_orders", (long)thresholds.DiyOrders);
                parameters.AddWithValue("active_days", thresholds.ActiveDays);
                parameters.AddWithValue("churned_days", thresholds.ChurnedAfterDays);
            },
            cancellationToken);
    }

    private static decimal Pow10(int exponent)
    {
        var factor = 1m;
        for (var i = 0; i < exponent; i++) factor *= 10;
        return factor;
    }
}

/// <summary>Refreshes the star schema of a shop for a range of reporting days (definitions in star_schema.sql and 007_star_schema.sql).</summary>
public sealed class StarSchemaRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Sql = SqlScripts.Read("star_schema.sql");

    /// <summary>Returns the order-line facts of the range.</summary>
    public async Task<long> Refresh(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var facts = await Refresh(connection, transaction, shop, from, to, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return facts;
    }

    /// <summary>The same within the caller's transaction (which it commits).</summary>
    public async Task<long> Refresh(NpgsqlConnection connection, NpgsqlTransaction transaction, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await AdvisoryLock.TakeForTransaction(connection, transaction, $"star:{shop}", cancellationToken);
        await using (var refresh = new NpgsqlCommand(Sql, connection, transaction) { CommandTimeout = SqlScripts.CommandTimeoutSeconds })
        {
            refresh.Parameters.AddWithValue("shop", shop);
            refresh.Parameters.AddWithValue("from", from);
            refresh.Parameters.AddWithValue("to", to);
            refresh.Parameters.AddWithValue("tz", options.Value.TimeZoneOf(shop));
            await refresh.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var count = new NpgsqlCommand("""
            SELECT count(*) FROM transform.fact_order_line f JOIN transform.dim_shop s USING (shop_key)
            WHERE s.shop_domain = @shop AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int
            """, connection, transaction);
        count.Parameters.AddWithValue("shop", shop);
        count.Parameters.AddWithValue("from", from);
        count.Parameters.AddWithValue("to", to);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
