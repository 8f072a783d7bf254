using System.Diagnostics;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Observability;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Transform.Costs;
using GrowthOs.Transform.Privacy;
using MassTransit;
using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// Upserts an archived bulk file into the commerce tables; a malformed file fails the step with the line number. One
/// load of an entity of a shop at a time (<see cref="LockName"/>): the same command sent again (its answer lost) waits
/// for the first, then finds the file committed and answers at once, and another run's file of the same entity waits
/// its turn. The lock is let go before the answer is published.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class UpsertArchivedRecordsConsumer(
    ObjectStore archive, BulkFileLoader loader, CustomerRedactions redactions, VariantCosts costs, NpgsqlDataSource dataSource, TimeProvider clock,
    ILogger<UpsertArchivedRecordsConsumer> logger)
    : IConsumer<UpsertArchivedRecords>
{
    public async Task Consume(ConsumeContext<UpsertArchivedRecords> context)
    {
        var message = context.Message;
        LoadSummary summary;
        try
        {
            await using var runLock = await AdvisoryLock.Take(dataSource, LockName(message), context.CancellationToken);
            await using var jsonl = await archive.OpenRead(message.ArchiveKey, context.CancellationToken);
            summary = await loader.Load(jsonl.Content, message.ShopDomain, message.RunId, message.ArchiveKey, context.CancellationToken, message.ChunkSize,
                jsonl.Length);
            // A customer Shopify asked to forget stays forgotten, whatever the file brought back.
            await redactions.ApplyAfterLoad(message.ShopDomain, context.CancellationToken);
            if (message.CompleteAsOf is { } asOf)
            {
                var (items, levels) = await loader.RemoveInventoryAbsentFrom(message.ShopDomain, message.RunId, asOf, context.CancellationToken);
                logger.LogInformation("Removed {Items} inventory items and {Levels} levels absent from {ArchiveKey} and not updated since {AsOf:o}",
                    items, levels, message.ArchiveKey, asOf);
            }
            // The unit costs the inventory carried, as seen on the day the extraction was asked for.
            if (message.Entity == Entities.Inventory)
            {
                var recorded = await costs.RecordSeen(message.ShopDomain, message.RunId, message.CompleteAsOf ?? clock.GetUtcNow(), context.CancellationToken);
                logger.LogInformation("Recorded {Costs} unit costs new or changed in {ArchiveKey}", recorded, message.ArchiveKey);
            }
        }
        catch (MalformedLineException exception)
        {
            logger.LogError("Upsert of {ArchiveKey} stopped at line {LineNumber}: {Reason}", message.ArchiveKey, exception.LineNumber, exception.Message);
            await context.PublishWithin(new TransformFailed(message.RunId, message.ShopDomain, SyncSteps.Upserting, exception.Message, message.ArchiveKey));
            return;
        }

        GrowthOsMetrics.RecordsLoaded.Add(summary.Records, new TagList { { "entity", message.Entity } });
        logger.LogInformation("Upserted {Records} records ({Orders} orders, {LineItems} line items) from {Lines} lines of {ArchiveKey}; {Rejected} rejected",
            summary.Records, summary.Orders, summary.LineItems, summary.Lines, message.ArchiveKey, summary.Rejected);
        await context.PublishWithin(new ArchivedRecordsUpserted(message.RunId, message.ShopDomain, message.Entity, message.ArchiveKey, summary.Records,
            summary.Orders, summary.LineItems, summary.Rejected, summary.MaxUpdatedAt, summary.FirstOrderDate, summary.LastOrderDate));
    }

    /// <summary>
    /// One load of an entity of a shop at a time, whatever the run or the file. Two loads of the same orders, each with
    /// two chunks in flight, could otherwise wait on each other where PostgreSQL cannot see it: a chunk of one load waits
    /// on a row of the other's chunk, which waits on a row of the first load's next chunk, which waits in this process
    /// for the first chunk to commit; only the chunks' lock timeout would end it, failing a chunk after two minutes. And a
    /// whole inventory's removal of what it did not carry must not see another load's rows half-stamped.
    /// </summary>
    public static string LockName(UpsertArchivedRecords message) =>
        $"upsert:{message.ShopDomain}:{message.Entity}";
}
