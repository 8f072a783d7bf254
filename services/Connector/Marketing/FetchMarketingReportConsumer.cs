using System.Text;
using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;

namespace GrowthOs.Connector.Marketing;

/// <summary>
/// Reads a shop's daily figures from a marketing source and archives every answer page unchanged, as it comes, before
/// anything parses its figures; then writes the manifest that names the pages. Each fetch of a run has its own prefix,
/// so a fetch sent again after a crash never mixes with the pages of another. A source that asks to wait defers the
/// run (the saga waits durably); one that refuses for good fails it, unless some pages were answered already: those
/// are archived and the run goes on partial.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class FetchMarketingReportConsumer(
    IEnumerable<IMarketingSource> sources, ObjectStore archive, TimeProvider clock, ILogger<FetchMarketingReportConsumer> logger)
    : IConsumer<FetchMarketingReport>
{
    /// <summary>Refusals that no page of the range escapes: a bad token, no access. Anything else after a page is a partial answer.</summary>
    private static readonly HashSet<string> WholeRangeRefusals = ["190", "UNAUTHENTICATED", "PERMISSION_DENIED", "UNKNOWN_SHOP"];

    public async Task Consume(ConsumeContext<FetchMarketingReport> context)
    {
        var message = context.Message;
        var source = sources.FirstOrDefault(s => s.Source == message.Source);
        var account = source is null ? null : await source.AccountOf(message.ShopDomain, context.CancellationToken);
        if (source is null || account is null)
        {
            var reason = source is null
                ? $"The Connector knows no marketing source '{message.Source}'."
                : $"No {message.Source} account is configured for {message.ShopDomain}.";
            await context.PublishWithin(new MarketingFetchFailed(message.RunId, message.Source, message.Attempt, "NOT_CONFIGURED", reason));
            return;
        }

        await context.PublishWithin(new MarketingFetchStarted(message.RunId, message.Source, message.Attempt, clock.GetUtcNow()));
        var prefix = MarketingArchiveKeys.Prefix(message.Source, message.ShopDomain, clock.GetUtcNow(), message.RunId, message.Attempt);
        var pages = new List<MarketingArchivedPage>();
        string? partialReason = null;
        try
        {
            await foreach (var page in source.Fetch(message.ShopDomain, message.Since, message.Until, context.CancellationToken))
            {
                var key = MarketingArchiveKeys.Page(prefix, pages.Count + 1);
                await archive.PutText(key, page.Body, "application/json", context.CancellationToken);
                pages.Add(new MarketingArchivedPage(key, page.Endpoint, page.Request, page.Since, page.Until, page.FetchedAt, page.Rows,
                    Encoding.UTF8.GetByteCount(page.Body)));
            }
        }
        catch (MarketingApiException exception) when (exception.Transient)
        {
            logger.LogWarning("{Source} asked {ShopDomain}'s fetch to wait ({ErrorCode}, {RetryAfterSeconds} s): {Error}",
                message.Source, message.ShopDomain, exception.Code, exception.RetryAfter?.TotalSeconds, exception.Message);
            await context.PublishWithin(new MarketingFetchDeferred(message.RunId, message.Source, message.Attempt, exception.Code, exception.Message,
                exception.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null));
            return;
        }
        catch (MarketingApiException exception) when (pages.Count > 0 && !WholeRangeRefusals.Contains(exception.Code))
        {
            partialReason = $"{exception.Code}: {exception.Message}";
            logger.LogWarning("{Source} refused part of {ShopDomain}'s range after {Pages} pages: {Error}", message.Source, message.ShopDomain, pages.Count,
                exception.Message);
        }
        catch (MarketingApiException exception)
        {
            logger.LogWarning("{Source} refused {ShopDomain}'s fetch ({ErrorCode}): {Error}", message.Source, message.ShopDomain, exception.Code,
                exception.Message);
            await context.PublishWithin(new MarketingFetchFailed(message.RunId, message.Source, message.Attempt, exception.Code, exception.Message));
            return;
        }

        var rows = pages.Sum(p => (long)p.Rows);
        await context.PublishWithin(new MarketingReportFetched(message.RunId, message.Source, message.Attempt, pages.Count, rows));
        var manifest = new MarketingArchiveManifest(message.Source, message.ShopDomain, account, message.RunId, message.Attempt, message.Since, message.Until,
            clock.GetUtcNow(), partialReason is not null, partialReason, pages);
        var manifestKey = MarketingArchiveKeys.Manifest(prefix);
        await archive.PutText(manifestKey, JsonSerializer.Serialize(manifest, JsonSerializerOptions.Web), "application/json", context.CancellationToken);
        logger.LogInformation("Archived {Pages} pages ({Records} rows) of {Source} for {ShopDomain}, {Since} to {Until}, under {ManifestKey}",
            pages.Count, rows, message.Source, message.ShopDomain, message.Since, message.Until, manifestKey);
        await context.PublishWithin(new MarketingReportArchived(message.RunId, message.ShopDomain, message.Source, message.Attempt, manifestKey, pages.Count,
            rows, pages.Sum(p => p.Bytes), message.Since, message.Until, partialReason is not null, partialReason));
    }
}
