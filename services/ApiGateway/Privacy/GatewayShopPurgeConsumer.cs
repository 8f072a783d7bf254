using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Privacy;
using MassTransit;
using Npgsql;

namespace GrowthOs.ApiGateway.Privacy;

/// <summary>
/// The gateway's part of a shop's purge: its audit entries of the shop and the shop's webhook deliveries. Keys limited to
/// the shop are left as they are: a key's shops are what it may reach, and taking the shop away from a key limited to it
/// alone would leave it limited to nothing, which reads as every shop.
/// </summary>
public sealed class GatewayShopPurgeConsumer(NpgsqlDataSource dataSource, ILogger<GatewayShopPurgeConsumer> logger) : IConsumer<ShopPurgeRequested>
{
    public async Task Consume(ConsumeContext<ShopPurgeRequested> context)
    {
        var removed = await ShopPurge.RemoveRows(dataSource, ["gateway"], context.Message, [], context.CancellationToken);
        await ShopPurge.Answer(context, PurgeServices.Gateway, removed, logger);
    }
}
