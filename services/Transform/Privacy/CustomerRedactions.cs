using GrowthOs.Contracts.Connections;
using Npgsql;

namespace GrowthOs.Transform.Privacy;

/// <summary>
/// Customers Shopify asked to be forgotten (<c>customers/redact</c>), and the rule that holds every load to it: the
/// customer's own rows (<c>customer</c>, its segment, its member of the star schema) are removed, and its orders stay,
/// counted in the shop's sales, without naming it (their customer is null, their lines the shop's guest member). A
/// load that brings the customer back (a replay of an archived file, a sync of orders Shopify still holds) is redacted
/// again as soon as its last chunk is committed, before the load is answered and the marts are refreshed from it (a read
/// of the commerce tables between the two can see the customer's id for that moment).
/// </summary>
public sealed class CustomerRedactions(NpgsqlDataSource dataSource)
{
    /// <summary>What redacting a shop's forgotten customers removes and unlinks, in order; <c>@shop</c> is the shop.</summary>
    private static readonly (string What, string Sql)[] Statements =
    [
        ("transform.order_header (unlinked)", """
            UPDATE transform.order_header o SET customer_id = NULL
            FROM transform.redacted_customer r WHERE r.shop_domain = @shop AND o.shop_domain = @shop AND o.customer_id = r.customer_id
            """),
        // The customer's own rows, keyed by shop and customer id.
        .. new[] { "customer", "customer_segments", "customer_daily", "customer_cohort" }.Select(table => ($"transform.{table}", $"""
            DELETE FROM transform.{table} c USING transform.redacted_customer r
            WHERE r.shop_domain = @shop AND c.shop_domain = @shop AND c.customer_id = r.customer_id
            """)),
        ("transform.dim_customer (guest member)", """
            INSERT INTO transform.dim_customer (shop_key, customer_id)
            SELECT s.shop_key, 0 FROM transform.dim_shop s
            WHERE s.shop_domain = @shop AND EXISTS (
                SELECT 1 FROM transform.dim_customer d JOIN transform.redacted_customer r ON r.shop_domain = @shop AND r.customer_id = d.customer_id
                WHERE d.shop_key = s.shop_key)
            ON CONFLICT (shop_key, customer_id) DO NOTHING
            """),
        ("transform.fact_order_line (unlinked)", """
            UPDATE transform.fact_order_line f SET customer_key = guest.customer_key
            FROM transform.dim_shop s
            JOIN transform.dim_customer d ON d.shop_key = s.shop_key
            JOIN transform.redacted_customer r ON r.shop_domain = @shop AND r.customer_id = d.customer_id
            JOIN transform.dim_customer guest ON guest.shop_key = s.shop_key AND guest.customer_id = 0
            WHERE s.shop_domain = @shop AND f.shop_key = s.shop_key AND f.customer_key = d.customer_key
            """),
        ("transform.dim_customer", """
            DELETE FROM transform.dim_customer d USING transform.dim_shop s, transform.redacted_customer r
            WHERE s.shop_domain = @shop AND d.shop_key = s.shop_key AND r.shop_domain = @shop AND r.customer_id = d.customer_id
            """),
    ];

    /// <summary>
    /// Forgets <paramref name="request"/>'s customer: remembers its id, unlinks the orders the request names (whoever they
    /// name now) and redacts everything of it. Asked twice, it removes nothing more. Returns the rows changed by table.
    /// </summary>
    public async Task<Dictionary<string, long>> Redact(CustomerRedactRequested request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var remember = new NpgsqlCommand("""
            INSERT INTO transform.redacted_customer (shop_domain, customer_id, webhook_id) VALUES (@shop, @customer, @webhook) ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            remember.Parameters.AddWithValue("shop", request.ShopDomain);
            remember.Parameters.AddWithValue("customer", request.CustomerId);
            remember.Parameters.AddWithValue("webhook", request.WebhookId);
            await remember.ExecuteNonQueryAsync(cancellationToken);
        }
        var changed = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var orders = new NpgsqlCommand(
            "UPDATE transform.order_header SET customer_id = NULL WHERE shop_domain = @shop AND order_id = ANY(@orders) AND customer_id IS NOT NULL",
            connection, transaction))
        {
            orders.Parameters.AddWithValue("shop", request.ShopDomain);
            orders.Parameters.AddWithValue("orders", request.OrderIds.ToArray());
            changed["transform.order_header (named orders unlinked)"] = await orders.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (what, count) in await Apply(connection, transaction, request.ShopDomain, cancellationToken)) changed[what] = count;
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Holds the shop's rows to its forgotten customers again (after a load); nothing to do for a shop that has none.</summary>
    public async Task ApplyAfterLoad(string shop, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM transform.redacted_customer WHERE shop_domain = @shop)", connection))
        {
            any.Parameters.AddWithValue("shop", shop);
            if (await any.ExecuteScalarAsync(cancellationToken) is not true) return;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Apply(connection, transaction, shop, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<List<(string What, long Count)>> Apply(NpgsqlConnection connection, NpgsqlTransaction transaction, string shop,
        CancellationToken cancellationToken)
    {
        var changed = new List<(string, long)>();
        foreach (var (what, sql) in Statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("shop", shop);
            changed.Add((what, await command.ExecuteNonQueryAsync(cancellationToken)));
        }
        return changed;
    }
}
