using GrowthOs.Contracts.Kpi;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// After a copy changed: the KPIs of the shop's default period (the last complete days) are computed, kept in
/// <c>kpi.kpi_snapshot</c>, and published as <see cref="KpiSnapshotComputed"/>; then the alert rules are evaluated.
/// </summary>
public sealed class KpiRefresh(KpiStore store, NpgsqlDataSource dataSource, Alerts.AlertEvaluator alerts, IOptions<KpiOptions> options, TimeProvider clock,
    ILogger<KpiRefresh> logger)
{
    public async Task Publish(IPublishEndpoint bus, Guid runId, string shop)
    {
        var (from, to) = options.Value.DefaultPeriod(shop, clock.GetUtcNow());
        var currency = await store.CurrencyOf(shop, CancellationToken.None) ?? "";
        var (_, _, kpis) = await store.Compute(shop, from, to, CancellationToken.None);
        await using (var batch = dataSource.CreateBatch())
        {
            foreach (var kpi in kpis)
            {
                var save = new NpgsqlBatchCommand("""
                    INSERT INTO kpi.kpi_snapshot (shop_domain, period_from, period_to, kpi, kind, currency_code, current_value, previous_value, change, run_id)
                    VALUES (@shop, @from, @to, @kpi, @kind, @currency, @current, @previous, @change, @run)
                    ON CONFLICT (shop_domain, period_from, period_to, kpi) DO UPDATE SET kind = EXCLUDED.kind, currency_code = EXCLUDED.currency_code,
                        current_value = EXCLUDED.current_value, previous_value = EXCLUDED.previous_value, change = EXCLUDED.change, computed_at = now(),
                        run_id = EXCLUDED.run_id
                    """);
                save.Parameters.AddWithValue("shop", shop);
                save.Parameters.AddWithValue("from", from);
                save.Parameters.AddWithValue("to", to);
                save.Parameters.AddWithValue("kpi", kpi.Name);
                save.Parameters.AddWithValue("kind", kpi.Kind);
                save.Parameters.AddWithValue("currency", currency);
                save.Parameters.Add(new NpgsqlParameter("current", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)kpi.Value ?? DBNull.Value });
                save.Parameters.Add(new NpgsqlParameter("previous", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)kpi.Previous ?? DBNull.Value });
                save.Parameters.Add(new NpgsqlParameter("change", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)kpi.Change ?? DBNull.Value });
                save.Parameters.AddWithValue("run", runId);
                batch.BatchCommands.Add(save);
            }
            await batch.ExecuteNonQueryAsync();
        }
        logger.LogInformation("KPIs of {ShopDomain} from {From} to {To}: {Kpis}", shop, from, to,
            string.Join(", ", kpis.Select(k => $"{k.Name}={k.Value?.ToString() ?? "null"}")));
        var (profitDays, profit) = await store.ComputeProfit(shop, from, to, CancellationToken.None);
        var email = await store.ComputeEmail(shop, from, to, CancellationToken.None);
        await bus.Publish(new KpiSnapshotComputed(runId, shop, from, to, currency,
            kpis.Select(k => new KpiValue(k.Name, k.Kind, k.Value, k.Previous, k.Change)).ToList(),
            profit.Select(k => new KpiValue(k.Name, k.Kind, k.Value, k.Previous, k.Change)).ToList(),
            email.Select(k => new KpiValue(k.Name, k.Kind, k.Value, k.Previous, k.Change)).ToList()));
        await alerts.Evaluate(bus, shop, (from, to), kpis, CancellationToken.None, (profitDays, profit));
    }
}
