using System.Text;
using System.Text.Json;
using GrowthOs.ServiceDefaults.Storage;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// Measures each product of a shop on a day (measurements.sql) into <c>measurement.sales</c> and
/// <c>measurement.performance</c>, and writes both as JSONL to the object store under
/// <c>measurement/{sales|performance}/{shop}/{yyyy}/{MM}/{dd}.jsonl</c>; re-running a day replaces both.
/// </summary>
public sealed class MeasurementRefresher(NpgsqlDataSource dataSource, ObjectStore store)
{
    private static readonly string Sql = SqlScripts.Read("measurements.sql");
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The measurement tables exported to the archive, each under <c>measurement/{table}/{shop}/</c>.</summary>
    public static readonly string[] ExportedTables = ["sales", "performance"];

    public static string KeyOf(string table, string shop, DateOnly day) => $"measurement/{table}/{shop}/{day:yyyy}/{day:MM}/{day:dd}.jsonl";

    /// <summary>Returns the product rows measured.</summary>
    public async Task<long> Refresh(string shop, DateOnly day, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var measure = new NpgsqlCommand(Sql, connection, transaction) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
            measure.Parameters.AddWithValue("shop", shop);
            measure.Parameters.AddWithValue("day", day);
            await measure.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var products = await Export(ExportedTables[0], shop, day, cancellationToken);
        await Export(ExportedTables[1], shop, day, cancellationToken);
        return products;
    }

    private async Task<long> Export(string table, string shop, DateOnly day, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT * FROM measurement.{table} WHERE shop_domain = @shop AND measured_on = @day ORDER BY product_id");
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("day", day);
        var jsonl = new StringBuilder();
        long rows = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new Dictionary<string, object?>(reader.FieldCount);
                for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                jsonl.Append(JsonSerializer.Serialize(row, Json)).Append('\n');
                rows++;
            }
        }
        await store.PutText(KeyOf(table, shop, day), jsonl.ToString(), "application/jsonl", cancellationToken);
        return rows;
    }
}
