using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// The Connector's part of a purge: the shop's connections, their events and install states (every table of its schema
/// with the shop's domain), and every archived object under the shop's folders (<c>raw/{source}/{shop}/</c> for every
/// source the archive holds, replays among them, and <c>compliance/{shop}/</c>). Its own answer goes where every other
/// service's does.
/// </summary>
public sealed class ConnectorShopPurgeConsumer(NpgsqlDataSource dataSource, ObjectStore store, ILogger<ConnectorShopPurgeConsumer> logger)
    : IConsumer<ShopPurgeRequested>
{
    /// <summary>The archive's sources (<c>raw/{source}/</c>): Shopify's bulk results, uploaded replays, and every marketing source.</summary>
    public static readonly IReadOnlyList<string> ArchivedSources = ["shopify", "replay", .. MarketingSources.All];

    public async Task Consume(ConsumeContext<ShopPurgeRequested> context)
    {
        var shop = context.Message.ShopDomain;
        var removed = await ShopPurge.RemoveRows(dataSource, ["connector"], context.Message, [], context.CancellationToken);
        await ShopPurge.RemoveObjects(store, shop, [.. ArchivedSources.Select(source => $"raw/{source}/"), "compliance/"], removed, context.CancellationToken);
        await ShopPurge.Answer(context, PurgeServices.Connector, removed, logger);
    }
}
