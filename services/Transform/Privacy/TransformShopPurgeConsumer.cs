using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Transform.Marts;
using MassTransit;
using Npgsql;

namespace GrowthOs.Transform.Privacy;

/// <summary>
/// The Transform's part of a shop's purge: the star schema's facts and members of the shop (found by its shop key), the
/// progress and rejected lines of the loads of its archived files, then every row of the shop in the transform and
/// measurement schemas (orders, catalogue, customers, marketing, marts, checks, the commerce outbox), and the shop's
/// measurement exports in the archive (<c>measurement/{table}/{shop}/</c>).
/// </summary>
public sealed class TransformShopPurgeConsumer(NpgsqlDataSource dataSource, ObjectStore store, ILogger<TransformShopPurgeConsumer> logger)
    : IConsumer<ShopPurgeRequested>
{
    private const string ShopKey = "(SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)";

    /// <summary>A load's file is the shop's when its key is <c>raw/{source}/{shop}/…</c>.</summary>
    private const string LoadsOfShop = "(SELECT run_id FROM transform.upsert_progress WHERE split_part(archive_key, '/', 3) = @shop)";

    private static readonly PurgeStatement[] Statements =
    [
        .. new[] { "fact_order_line", "fact_daily_sales", "fact_ad_daily", "fact_traffic_daily", "dim_customer", "dim_product", "dim_campaign" }
            .Select(table => new PurgeStatement($"transform.{table}", $"DELETE FROM transform.{table} WHERE shop_key IN {ShopKey}")),
        new PurgeStatement("transform.rejected_record", $"DELETE FROM transform.rejected_record WHERE run_id IN {LoadsOfShop}"),
        new PurgeStatement("transform.upsert_progress", "DELETE FROM transform.upsert_progress WHERE split_part(archive_key, '/', 3) = @shop"),
    ];

    public async Task Consume(ConsumeContext<ShopPurgeRequested> context)
    {
        var shop = context.Message.ShopDomain;
        var removed = await ShopPurge.RemoveRows(dataSource, ["transform", "measurement"], context.Message, Statements, context.CancellationToken);
        await ShopPurge.RemoveObjects(store, shop, MeasurementRefresher.ExportedTables.Select(table => $"measurement/{table}/"), removed,
            context.CancellationToken);
        await ShopPurge.Answer(context, PurgeServices.Transform, removed, logger);
    }
}
