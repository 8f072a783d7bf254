using GrowthOs.Contracts.Sales;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>Recomputes <c>sales_metrics_daily</c> of a shop for a range of its reporting days (definitions in sales_metrics_daily.sql).</summary>
public sealed class DailySalesRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Sql = SqlScripts.Read("sales_metrics_daily.sql");

    public async Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> Refresh(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Refresh(connection, shop, from, to, cancellationToken);
    }

    /// <summary>The same on the caller's connection, within its transaction if it has one.</summary>
    public async Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> Refresh(
        NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = new List<DailySalesFigure>();
        var currency = "";
        if (from > to) return (currency, days);
        await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("tz", options.Value.TimeZoneOf(shop));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            currency = reader.GetString(1);
            days.Add(new DailySalesFigure(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(2), reader.GetInt64(3)));
        }
        return (currency, days.OrderBy(d => d.Date).ToList());
    }
}
