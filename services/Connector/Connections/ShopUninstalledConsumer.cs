using GrowthOs.Contracts.Connections;
using MassTransit;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// A shop that uninstalled the app is disconnected: its schedules stop (the copies hear <see cref="ConnectionDisconnected"/>)
/// and its token, which Shopify has revoked, is destroyed. Heard twice, it changes nothing the second time.
/// </summary>
public sealed class ShopUninstalledConsumer(ConnectionRegistry registry, ILogger<ShopUninstalledConsumer> logger) : IConsumer<ShopUninstalled>
{
    public async Task Consume(ConsumeContext<ShopUninstalled> context)
    {
        var message = context.Message;
        if (await registry.Live(ConnectionProviders.Shopify, message.ShopDomain, context.CancellationToken) is not { } connection)
        {
            logger.LogInformation("{ShopDomain} uninstalled the app; it had no live connection", message.ShopDomain);
            return;
        }
        await registry.Disconnect(connection.Snapshot.ConnectionId, $"The shop uninstalled the app (app/uninstalled at {message.TriggeredAt:u}).",
            context.CancellationToken);
        logger.LogInformation("{ShopDomain} uninstalled the app: connection {ConnectionId} disconnected, its token destroyed", message.ShopDomain,
            connection.Snapshot.ConnectionId);
    }
}
