using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Privacy;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Privacy;

/// <summary>
/// The KPI/Alert service's part of a shop's purge: the completions of the shop's backfills and its runs' deferrals (kept
/// by run), then every row
/// of the shop (its copies of the marts and of the runs, its KPIs, alerts, checks, calls and gaps).
/// </summary>
public sealed class KpiShopPurgeConsumer(NpgsqlDataSource dataSource, ILogger<KpiShopPurgeConsumer> logger) : IConsumer<ShopPurgeRequested>
{
    /// <summary>The shop's runs, as the copies of their steps, outcomes, calls, checks and gaps name them.</summary>
    private const string RunsOfShop = """
        SELECT run_id FROM kpi.sync_outcome WHERE shop_domain = @shop UNION SELECT backfill_run_id FROM kpi.sync_gap WHERE shop_domain = @shop
        UNION SELECT run_id FROM kpi.sync_step WHERE shop_domain = @shop UNION SELECT run_id FROM kpi.api_call WHERE shop_domain = @shop
        UNION SELECT run_id FROM kpi.quality_result WHERE shop_domain = @shop
        """;

    private static readonly PurgeStatement[] Statements =
    [
        new("kpi.backfill_completed", $"DELETE FROM kpi.backfill_completed WHERE run_id IN ({RunsOfShop})"),
        // A marketing run's deferrals name no shop: they are the shop's by their run.
        new("kpi.deferral", $"DELETE FROM kpi.deferral WHERE run_id IN ({RunsOfShop})"),
    ];

    public async Task Consume(ConsumeContext<ShopPurgeRequested> context)
    {
        var removed = await ShopPurge.RemoveRows(dataSource, ["kpi"], context.Message, Statements, context.CancellationToken);
        await ShopPurge.Answer(context, PurgeServices.KpiAlert, removed, logger);
    }
}
