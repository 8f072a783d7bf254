using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// The least and the greatest id of a shop's counted orders (not a test, not cancelled) created on reporting days
/// [from, to]; both null when there are none. The refreshes read those orders' lines by <c>@first_order</c> and
/// <c>@last_order</c>: a shop's ids grow with time, so a few days' lines are a narrow range of the lines' key, and given
/// as values (not found in the same statement) the planner sees how narrow it is, reading the range by the key for a
/// daily sync and the whole table for a history. Counted on the way: the orders, and those that <c>run</c> (when given)
/// last wrote.
/// </summary>
public readonly record struct OrderIdRange(long? First, long? Last, long Orders = 0, long OfRun = 0)
{
    public static async Task<OrderIdRange> Find(NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, string timeZone,
        CancellationToken cancellationToken, Guid? run = null)
    {
        await using var command = new NpgsqlCommand("""
            SELECT min(order_id), max(order_id), count(*), count(*) FILTER (WHERE source_run_id = @run) FROM transform.order_header
            WHERE shop_domain = @shop AND NOT is_test AND cancelled_at IS NULL
              AND created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz)
            """, connection) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("tz", timeZone);
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Uuid) { Value = (object?)run ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OrderIdRange(reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2),
            reader.GetInt64(3));
    }

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.Add(new NpgsqlParameter("first_order", NpgsqlDbType.Bigint) { Value = (object?)First ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter("last_order", NpgsqlDbType.Bigint) { Value = (object?)Last ?? DBNull.Value });
    }
}
