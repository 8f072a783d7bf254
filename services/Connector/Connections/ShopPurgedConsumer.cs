using GrowthOs.Contracts.Connections;
using MassTransit;

namespace GrowthOs.Connector.Connections;

/// <summary>Keeps each service's answer to a purge.</summary>
public sealed class ShopPurgedConsumer(ShopPurges purges) : IConsumer<ShopPurged>
{
    public Task Consume(ConsumeContext<ShopPurged> context) => purges.Record(context.Message, context.CancellationToken);
}
