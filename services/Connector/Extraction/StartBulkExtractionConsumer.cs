using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Extraction;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.Connector.Extraction;

/// <summary>
/// Starts the bulk query of one entity, unless Shopify already runs exactly that query: then the running operation is
/// adopted, so that a start whose answer was lost never gives two operations for one step. A transient refusal is
/// reported as deferred; the saga retries after a backoff.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class StartBulkExtractionConsumer(ShopifyGraphQlClient shopify, TimeProvider clock, ILogger<StartBulkExtractionConsumer> logger)
    : IConsumer<StartBulkExtraction>
{
    public async Task Consume(ConsumeContext<StartBulkExtraction> context)
    {
        var message = context.Message;
        try
        {
            var query = BulkQueries.For(message.Entity, message.UpdatedSince, message.CreatedFrom, message.CreatedBefore);
            var filter = BulkQueries.SearchFilter(message.UpdatedSince, message.CreatedFrom, message.CreatedBefore);
            var operationId = await shopify.FindRunningBulkQuery(message.ShopDomain, query, context.CancellationToken);
            if (operationId is not null)
            {
                logger.LogWarning("Adopted bulk operation {BulkOperationId} already running for {Entity} where {Filter}", operationId, message.Entity, filter);
            }
            else
            {
                operationId = await shopify.RunBulkQuery(message.ShopDomain, query, context.CancellationToken);
                logger.LogInformation("Started bulk operation {BulkOperationId} for {Entity} where {Filter}", operationId, message.Entity, filter);
            }
            await context.PublishWithin(new BulkOperationStarted(message.RunId, message.ShopDomain, message.Entity, operationId, clock.GetUtcNow()));
        }
        catch (ShopifyApiException exception) when (exception.Transient)
        {
            logger.LogWarning("Bulk query for {Entity} deferred: {ErrorCode} {Reason}", message.Entity, exception.Code, exception.Message);
            await context.PublishWithin(new BulkExtractionDeferred(message.RunId, message.ShopDomain, message.Entity, exception.Code, exception.Message,
                RetryAfterSeconds: exception.RetryAfter?.TotalSeconds));
        }
        catch (ShopifyApiException exception)
        {
            logger.LogError("Bulk query for {Entity} refused: {ErrorCode} {Reason}", message.Entity, exception.Code, exception.Message);
            await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, exception.Code, exception.Message));
        }
        catch (ArgumentException exception)
        {
            await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, "UNKNOWN_ENTITY", exception.Message));
        }
    }
}
