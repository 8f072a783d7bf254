using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.Transform.Marts;
using MassTransit;

namespace GrowthOs.Transform.Marketing;

/// <summary>
/// Refreshes the marketing star and mart of the run's days, checks them, and tells subscribers the new daily figures
/// (<see cref="MarketingDailyUpdated"/>) before answering the run. A failed critical check fails the run with the checks named.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class RefreshMarketingMartsConsumer(MarketingRefresher refresher, TimeProvider clock, ILogger<RefreshMarketingMartsConsumer> logger)
    : IConsumer<RefreshMarketingMarts>
{
    public async Task Consume(ConsumeContext<RefreshMarketingMarts> context)
    {
        var message = context.Message;
        var computedAt = clock.GetUtcNow();
        var refreshed = await refresher.Refresh(message.RunId, message.ShopDomain, message.From, message.To, context.CancellationToken);
        await context.PublishWithin(DataQualityOutcomes.Checked(message.RunId, message.ShopDomain, computedAt, refreshed.Checks));
        if (refreshed.Critical.Count > 0)
        {
            await context.PublishWithin(new TransformFailed(message.RunId, message.ShopDomain, SyncSteps.Transforming,
                "Critical data-quality checks failed: " + string.Join(", ", refreshed.Critical.Select(c => $"{c.Check} ({c.Violations} violations)"))));
            return;
        }
        logger.LogInformation("Refreshed {Days} marketing days of {ShopDomain} from {From} to {To} ({Campaigns} campaign days)",
            refreshed.Days.Count / 3, message.ShopDomain, message.From, message.To, refreshed.Campaigns.Count);
        await context.PublishWithin(new MarketingDailyUpdated(message.RunId, message.ShopDomain, refreshed.CurrencyCode, message.From, message.To,
            refreshed.Days, refreshed.Campaigns, computedAt, refreshed.Email));
        await context.PublishWithin(new MartsRefreshed(message.RunId, message.ShopDomain, refreshed.Days.Count / 3));
    }
}
