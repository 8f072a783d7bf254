using GrowthOs.Contracts.Connections;
using MassTransit;

namespace GrowthOs.ServiceDefaults.Connections;

/// <summary>Keeps the service's copy of every connection the Connector's registry announces.</summary>
public sealed class ConnectionCopyConsumer(ShopConnections shops) :
    IConsumer<ConnectionConnected>, IConsumer<ConnectionSettingsChanged>, IConsumer<ConnectionPaused>, IConsumer<ConnectionResumed>,
    IConsumer<ConnectionDisconnected>
{
    public Task Consume(ConsumeContext<ConnectionConnected> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionSettingsChanged> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionPaused> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionResumed> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionDisconnected> context) => shops.Keep(context.Message.Connection, context.CancellationToken);
}
