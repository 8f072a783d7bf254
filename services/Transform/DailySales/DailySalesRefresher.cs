using GrowthOs.Contracts.Sales;
using Npgsql;

namespace GrowthOs.Transform.DailySales;

/// <summary>Recomputes <c>sales_metrics_daily</c> of a shop for a date range (definitions in sales_metrics_daily.sql).</summary>
public sealed class DailySalesRefresher(NpgsqlDataSource dataSource)
{
    private static readonly string Sql = ReadSql("sales_metrics_daily.sql");

    public async Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> Refresh(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Refresh(connection, shop, from, to, cancellationToken);
    }

    private async Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> Refresh(
        NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = new List<DailySalesFigure>();
        var currency = "";
        if (from > to) return (currency, days);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            currency = reader.GetString(1);
            days.Add(new DailySalesFigure(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(2), reader.GetInt64(3)));
        }
        return (currency, days.OrderBy(d => d.Date).ToList());
    }

    private static string ReadSql(string name)
    {
        using var stream = typeof(DailySalesRefresher).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Embedded SQL {name} is missing.");
        return new StreamReader(stream).ReadToEnd();
    }
}
