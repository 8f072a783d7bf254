using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Extraction;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.Connector.Extraction;

/// <summary>
/// Reads a bulk operation once and reports whether it still runs, completed, failed with partial data worth
/// salvaging, or failed (FAILED, CANCELED, EXPIRED) with its reason.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class PollBulkOperationConsumer(ShopifyGraphQlClient shopify, ILogger<PollBulkOperationConsumer> logger)
    : IConsumer<PollBulkOperation>
{
    public async Task Consume(ConsumeContext<PollBulkOperation> context)
    {
        var message = context.Message;
        BulkOperation operation;
        try
        {
            operation = await shopify.GetBulkOperation(message.ShopDomain, message.BulkOperationId, context.CancellationToken);
        }
        catch (ShopifyApiException exception) when (exception.Transient)
        {
            logger.LogWarning("Poll of {BulkOperationId} deferred: {ErrorCode} {Reason}", message.BulkOperationId, exception.Code, exception.Message);
            await context.PublishWithin(new BulkExtractionDeferred(message.RunId, message.ShopDomain, message.Entity, exception.Code, exception.Message,
                BulkOperationId: message.BulkOperationId, RetryAfterSeconds: exception.RetryAfter?.TotalSeconds));
            return;
        }
        catch (ShopifyApiException exception)
        {
            await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, exception.Code, exception.Message,
                BulkOperationId: message.BulkOperationId));
            return;
        }

        logger.LogInformation("Bulk operation {BulkOperationId} is {Status} with {ObjectCount} objects (poll {Attempt})",
            operation.Id, operation.Status, operation.ObjectCount, message.Attempt);

        if (operation.IsRunning)
            await context.PublishWithin(new BulkOperationStillRunning(message.RunId, operation.Id, message.Attempt, operation.Status, operation.ObjectCount));
        else if (operation.Status == "COMPLETED")
            await context.PublishWithin(new BulkOperationCompleted(message.RunId, operation.Id, operation.ObjectCount, operation.RootObjectCount,
                operation.FileSize));
        else if (operation is { Status: "FAILED", PartialDataUrl: not null })
        {
            logger.LogWarning("Bulk operation {BulkOperationId} FAILED ({ErrorCode}); salvaging its partial data", operation.Id, operation.ErrorCode);
            await context.PublishWithin(new BulkOperationCompleted(message.RunId, operation.Id, operation.ObjectCount, operation.RootObjectCount,
                operation.FileSize, Partial: true, ErrorCode: operation.ErrorCode));
        }
        else
            await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, operation.ErrorCode ?? operation.Status,
                $"Bulk operation {operation.Id} ended {operation.Status}{(operation.ErrorCode is null ? "" : $" ({operation.ErrorCode})")}.",
                BulkOperationId: message.BulkOperationId));
    }
}
