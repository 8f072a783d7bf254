using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Costs;

/// <summary>
/// The history of each variant's unit cost (<c>transform.variant_cost</c>): what Shopify's inventory items said, kept
/// with the reporting day it was seen, a row only when a cost is first seen or seen changed; and the operators' overrides,
/// each from a day on.
/// </summary>
public sealed class VariantCosts(NpgsqlDataSource dataSource, IOptions<MartsOptions> marts)
{
    /// <summary>
    /// Records the costs of the inventory items <paramref name="runId"/> loaded as seen on the shop's reporting day of
    /// <paramref name="seenAt"/> (when the extraction was asked for): a variant whose cost is new, or differs from the
    /// latest seen before that day, gets a row; a second sighting the same day replaces that day's. Returns the rows written.
    /// </summary>
    public async Task<int> RecordSeen(string shop, Guid runId, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO transform.variant_cost (shop_domain, variant_id, source, effective_from, unit_cost_minor, currency_code, recorded_at)
            SELECT i.shop_domain, i.variant_id, 'shopify', @day, i.unit_cost_minor, i.unit_cost_currency, now()
            FROM transform.inventory_item i
            LEFT JOIN LATERAL (
                SELECT c.unit_cost_minor, c.currency_code FROM transform.variant_cost c
                WHERE c.shop_domain = i.shop_domain AND c.variant_id = i.variant_id AND c.source = 'shopify' AND c.effective_from < @day
                ORDER BY c.effective_from DESC LIMIT 1
            ) before ON true
            WHERE i.shop_domain = @shop AND i.source_run_id = @run AND i.variant_id IS NOT NULL AND i.unit_cost_minor IS NOT NULL
              AND (before.unit_cost_minor IS DISTINCT FROM i.unit_cost_minor OR before.currency_code IS DISTINCT FROM i.unit_cost_currency)
            ON CONFLICT (shop_domain, variant_id, source, effective_from) DO UPDATE
                SET unit_cost_minor = EXCLUDED.unit_cost_minor, currency_code = EXCLUDED.currency_code, recorded_at = EXCLUDED.recorded_at
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("day", marts.Value.Today(shop, seenAt));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The shop's cost history (of one variant, or of all), by variant and newest first; at most <paramref name="limit"/> rows.</summary>
    public async Task<List<VariantCostView>> List(string shop, long? variantId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.variant_id, v.sku, p.title, v.title, c.source, c.effective_from, c.unit_cost_minor, c.currency_code, c.recorded_at, c.recorded_by
            FROM transform.variant_cost c
            LEFT JOIN transform.product_variant v ON v.shop_domain = c.shop_domain AND v.variant_id = c.variant_id
            LEFT JOIN transform.product p ON p.shop_domain = v.shop_domain AND p.product_id = v.product_id
            WHERE c.shop_domain = @shop AND (@variant::bigint IS NULL OR c.variant_id = @variant)
            ORDER BY c.variant_id, c.effective_from DESC, c.source
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.Add(new NpgsqlParameter<long?>("variant", NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = variantId });
        command.Parameters.AddWithValue("limit", limit);
        var costs = new List<VariantCostView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            costs.Add(new VariantCostView(reader.GetInt64(0), Text(reader, 1), Text(reader, 2), Text(reader, 3), reader.GetString(4),
                reader.GetFieldValue<DateOnly>(5), reader.GetInt64(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), Text(reader, 9)));
        return costs;
    }

    /// <summary>
    /// Of <paramref name="variantIds"/>, those the shop neither lists (its variants) nor has sold (its order lines):
    /// a cost is given to a variant the shop knows, never to a mistyped one.
    /// </summary>
    public async Task<List<long>> Unknown(string shop, IReadOnlyCollection<long> variantIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id FROM unnest(@ids) AS id
            WHERE NOT EXISTS (SELECT 1 FROM transform.product_variant v WHERE v.shop_domain = @shop AND v.variant_id = id)
              AND NOT EXISTS (SELECT 1 FROM transform.order_line_item l WHERE l.shop_domain = @shop AND l.variant_id = id)
            ORDER BY id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("ids", variantIds.Distinct().ToArray());
        var unknown = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) unknown.Add(reader.GetInt64(0));
        return unknown;
    }

    /// <summary>The variants of the shop by SKU (the first listed of a SKU several variants share).</summary>
    public async Task<Dictionary<string, long>> VariantsBySku(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (sku) sku, variant_id FROM transform.product_variant
            WHERE shop_domain = @shop AND sku IS NOT NULL AND sku <> '' ORDER BY sku, variant_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        var variants = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) variants[reader.GetString(0)] = reader.GetInt64(1);
        return variants;
    }

    /// <summary>Writes the overrides, all or none; a variant's override of the same day is replaced. Returns the rows written.</summary>
    public async Task<int> Override(string shop, IReadOnlyList<CostOverride> overrides, string? recordedBy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO transform.variant_cost (shop_domain, variant_id, source, effective_from, unit_cost_minor, currency_code, recorded_at, recorded_by)
            SELECT @shop, variant_id, 'override', effective_from, unit_cost_minor, currency_code, now(), @by
            FROM unnest(@variants, @days, @costs, @currencies) AS o(variant_id, effective_from, unit_cost_minor, currency_code)
            ON CONFLICT (shop_domain, variant_id, source, effective_from) DO UPDATE
                SET unit_cost_minor = EXCLUDED.unit_cost_minor, currency_code = EXCLUDED.currency_code, recorded_at = EXCLUDED.recorded_at,
                    recorded_by = EXCLUDED.recorded_by
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.Add(new NpgsqlParameter<string?>("by", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = recordedBy });
        command.Parameters.AddWithValue("variants", overrides.Select(o => o.VariantId).ToArray());
        command.Parameters.AddWithValue("days", overrides.Select(o => o.EffectiveFrom).ToArray());
        command.Parameters.AddWithValue("costs", overrides.Select(o => o.UnitCostMinor).ToArray());
        command.Parameters.AddWithValue("currencies", overrides.Select(o => o.CurrencyCode).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Removes a variant's override of <paramref name="effectiveFrom"/>, or all of its overrides; returns the days the
    /// removed overrides took effect from (none when there was none).
    /// </summary>
    public async Task<List<DateOnly>> RemoveOverride(string shop, long variantId, DateOnly? effectiveFrom, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM transform.variant_cost
            WHERE shop_domain = @shop AND variant_id = @variant AND source = 'override' AND (@day::date IS NULL OR effective_from = @day)
            RETURNING effective_from
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("variant", variantId);
        command.Parameters.Add(new NpgsqlParameter<DateOnly?>("day", NpgsqlTypes.NpgsqlDbType.Date) { TypedValue = effectiveFrom });
        var removed = new List<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) removed.Add(reader.GetFieldValue<DateOnly>(0));
        return removed;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
