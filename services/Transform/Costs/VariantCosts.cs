using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Costs;

/// <summary>
/// The history of each variant's unit cost (<c>transform.variant_cost</c>): what Shopify's inventory items said, kept
/// with the reporting day it was seen, a row only when a cost is first seen or seen changed.
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
}
