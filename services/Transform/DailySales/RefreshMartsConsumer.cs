using GrowthOs.Contracts.Sales;
using GrowthOs.Contracts.Transform;
using GrowthOs.Transform.EtlLog;
using MassTransit;

namespace GrowthOs.Transform.DailySales;

/// <summary>Refreshes the marts of the dates a run touched and tells subscribers the new daily figures.</summary>
public sealed class RefreshMartsConsumer(DailySalesRefresher dailySales, EtlExecutionLog executions, ILogger<RefreshMartsConsumer> logger) : IConsumer<RefreshMarts>
{
    public async Task Consume(ConsumeContext<RefreshMarts> context)
    {
        var message = context.Message;
        var (currency, days) = await executions.Run(Pipelines.SalesPulse, message.RunId, message.ShopDomain, message.From, message.To,
            () => dailySales.Refresh(message.ShopDomain, message.From, message.To, context.CancellationToken),
            refreshed => refreshed.Days.Count,
            context.CancellationToken);
        logger.LogInformation("Refreshed daily sales of {Days} days from {From} to {To}", days.Count, message.From, message.To);
        if (days.Count > 0)
            await context.Publish(new DailySalesUpdated(message.RunId, message.ShopDomain, currency, days));
        await context.Publish(new MartsRefreshed(message.RunId, message.ShopDomain, days.Count));
    }
}
