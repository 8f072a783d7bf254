using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// A shop's currency, as the commerce tables know it (<c>transform.shop_currency</c>, 018_shop_currency.sql: its latest
/// order's, else its most recently updated customer's; null while it has neither). Variant prices
/// (which Shopify gives without a currency), the segment thresholds (in major units) and the star's shop dimension are
/// read in it.
/// </summary>
public static class ShopCurrency
{
    private const string Sql = "SELECT transform.shop_currency(@shop)";

    /// <summary>Read on <paramref name="connection"/>, so a chunk's own transaction sees the orders it has just written.</summary>
    public static async Task<string?> Find(NpgsqlConnection connection, string shop, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("shop", shop);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public static async Task<string?> Find(NpgsqlDataSource dataSource, string shop, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Find(connection, shop, cancellationToken);
    }
}
