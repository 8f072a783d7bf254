using System.Diagnostics;
using Amazon.S3;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Observability;
using MassTransit;

namespace GrowthOs.Transform.Marketing;

/// <summary>
/// Loads a marketing run's archived pages into staging. A page that is not its source's answer, or a manifest outside
/// the shop's archive, fails the step with the reason; a missing object too. The same command sent again loads the
/// same pages again and changes nothing.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class UpsertMarketingReportConsumer(MarketingUpserter upserter, ILogger<UpsertMarketingReportConsumer> logger) : IConsumer<UpsertMarketingReport>
{
    public async Task Consume(ConsumeContext<UpsertMarketingReport> context)
    {
        var message = context.Message;
        MarketingLoad load;
        try
        {
            load = await upserter.Load(message.RunId, message.ShopDomain, message.Source, message.ManifestKey, context.CancellationToken);
        }
        catch (Exception exception) when (exception is MalformedPageException or AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            var reason = exception is MalformedPageException
                ? exception.Message
                : $"An archived object of {message.ManifestKey} is missing: {exception.Message}";
            logger.LogError("Upsert of {ManifestKey} failed: {Reason}", message.ManifestKey, reason);
            await context.PublishWithin(new TransformFailed(message.RunId, message.ShopDomain, SyncSteps.Upserting, reason, message.ManifestKey));
            return;
        }
        GrowthOsMetrics.RecordsLoaded.Add(load.Rows, new TagList { { "entity", message.Source } });
        logger.LogInformation("Upserted {Records} {Source} rows of {Since} to {Until} from {ManifestKey}; {Rejected} rejected",
            load.Rows, message.Source, load.Since, load.Until, message.ManifestKey, load.Rejected);
        await context.PublishWithin(new MarketingReportUpserted(message.RunId, message.ShopDomain, message.Source, message.ManifestKey, load.Rows,
            load.Rejected, load.Since, load.Until, load.FirstDate, load.LastDate, load.RejectedExamples));
    }
}
