using Npgsql;

namespace GrowthOs.Transform.Costs;

/// <summary>A shop's cost rules (<c>transform.cost_rule</c>, 024_cost_rules.sql); every statement is bound to the shop.</summary>
public sealed class CostRules(NpgsqlDataSource dataSource)
{
    public const int MaxPerShop = 200;

    private const string Columns = "rule_id, kind, name, currency_code, amount_minor, rate, effective_from, effective_to, created_by, created_at";

    public async Task<IReadOnlyList<CostRule>> List(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM transform.cost_rule WHERE shop_domain = @shop ORDER BY kind, effective_from, rule_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        return await Read(command, cancellationToken);
    }

    /// <summary>Adds a rule; null when the shop already has <see cref="MaxPerShop"/>.</summary>
    public async Task<CostRule?> Add(string shop, CostRule rule, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO transform.cost_rule (shop_domain, kind, name, currency_code, amount_minor, rate, effective_from, effective_to, created_by)
            SELECT @shop, @kind, @name, @currency, @amount, @rate, @from, @to, @by
            WHERE (SELECT count(*) FROM transform.cost_rule WHERE shop_domain = @shop) < {MaxPerShop}
            RETURNING {Columns}
            """);
        Bind(command, shop, rule);
        return (await Read(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Replaces a rule of the shop; null when the shop has no rule of that id.</summary>
    public async Task<CostRule?> Replace(string shop, CostRule rule, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE transform.cost_rule SET kind = @kind, name = @name, currency_code = @currency, amount_minor = @amount, rate = @rate,
                effective_from = @from, effective_to = @to, created_by = @by, created_at = now()
            WHERE shop_domain = @shop AND rule_id = @id
            RETURNING {Columns}
            """);
        Bind(command, shop, rule);
        return (await Read(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Removes a rule of the shop; null when the shop has no rule of that id.</summary>
    public async Task<CostRule?> Remove(string shop, long ruleId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM transform.cost_rule WHERE shop_domain = @shop AND rule_id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("id", ruleId);
        return (await Read(command, cancellationToken)).SingleOrDefault();
    }

    private static void Bind(NpgsqlCommand command, string shop, CostRule rule)
    {
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("id", rule.RuleId);
        command.Parameters.AddWithValue("kind", rule.Kind);
        command.Parameters.AddWithValue("name", rule.Name);
        command.Parameters.AddWithValue("currency", rule.CurrencyCode);
        command.Parameters.AddWithValue("amount", rule.AmountMinor);
        command.Parameters.AddWithValue("rate", rule.Rate);
        command.Parameters.AddWithValue("from", rule.EffectiveFrom);
        command.Parameters.AddWithValue("to", NpgsqlTypes.NpgsqlDbType.Date, (object?)rule.EffectiveTo ?? DBNull.Value);
        command.Parameters.AddWithValue("by", NpgsqlTypes.NpgsqlDbType.Text, (object?)rule.CreatedBy ?? DBNull.Value);
    }

    private static async Task<IReadOnlyList<CostRule>> Read(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rules = new List<CostRule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rules.Add(new CostRule(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetDecimal(5), reader.GetFieldValue<DateOnly>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9)));
        return rules;
    }
}
