using GrowthOs.Connector.Shopify;
using GrowthOs.Connector.Telemetry;
using GrowthOs.Contracts.Extraction;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Extraction;

/// <summary>
/// Streams a finished operation's JSONL into the archive, untouched, before anything parses it: memory stays at one
/// upload part whatever the file size. Customers' e-mail addresses are hashed on the way (<see cref="PersonalDataHashing"/>);
/// nothing else is changed. An operation that matched nothing is archived as an empty file, so every run has its archive.
/// The download URL is read from Shopify here (no message carries it, no table keeps it), and only an https URL on one of
/// <see cref="ShopifyOptions.DownloadHosts"/> is fetched, without following redirects, each read within
/// <see cref="ShopifyOptions.DownloadReadTimeoutSeconds"/>.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class ArchiveBulkOperationResultConsumer(
    IHttpClientFactory httpClients, ShopifyGraphQlClient shopify, IOptions<ShopifyOptions> options, ObjectStore archive, TimeProvider clock,
    ILogger<ArchiveBulkOperationResultConsumer> logger)
    : IConsumer<ArchiveBulkOperationResult>
{
    public const string DownloadClient = "bulk-download";
    private const string Source = "shopify";
    private const string DownloadEndpoint = "bulkDownload";

    private static bool IsTransient(System.Net.HttpStatusCode status) => (int)status is 408 or 429 or >= 500;

    public async Task Consume(ConsumeContext<ArchiveBulkOperationResult> context)
    {
        var message = context.Message;
        var started = clock.GetUtcNow();
        var key = ArchiveKeys.For(message.ShopDomain, message.Entity, started, message.RunId, message.BulkOperationId);

        string? url;
        try
        {
            var operation = await shopify.GetBulkOperation(message.ShopDomain, message.BulkOperationId, context.CancellationToken);
            if (operation.IsRunning || operation.Status is not ("COMPLETED" or "FAILED"))
            {
                await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, "NOT_FINISHED",
                    $"Bulk operation {message.BulkOperationId} is {operation.Status}: it has no result to download.", message.BulkOperationId));
                return;
            }
            url = operation.Status == "COMPLETED" ? operation.Url : operation.PartialDataUrl;
        }
        catch (ShopifyApiException exception) when (exception.Transient)
        {
            await context.PublishWithin(new BulkExtractionDeferred(message.RunId, message.ShopDomain, message.Entity, exception.Code, exception.Message,
                message.BulkOperationId, exception.RetryAfter?.TotalSeconds));
            return;
        }
        catch (ShopifyApiException exception)
        {
            await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, exception.Code, exception.Message,
                message.BulkOperationId));
            return;
        }

        long bytes;
        long lines;
        if (url is null)
        {
            await using var empty = new LineCountingStream(Stream.Null);
            bytes = await archive.Upload(key, empty, "application/jsonl", context.CancellationToken);
            lines = 0;
        }
        else if (options.Value.DownloadRefusal(url) is { } refusal)
        {
            // Never the URL itself: its query string is a signature that grants the file.
            logger.LogError("The result of {BulkOperationId} is not downloaded: {Refusal}", message.BulkOperationId, refusal);
            await context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, "DOWNLOAD_REFUSED",
                $"The result of {message.BulkOperationId} is not downloaded: {refusal}.", message.BulkOperationId));
            return;
        }
        else
        {
            ReadTimeoutStream? download = null;
            try
            {
                var readTimeout = TimeSpan.FromSeconds(options.Value.DownloadReadTimeoutSeconds);
                using var answered = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
                answered.CancelAfter(readTimeout);
                using var response = await httpClients.CreateClient(DownloadClient).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, answered.Token);
                answered.CancelAfter(Timeout.Infinite);
                if (!response.IsSuccessStatusCode)
                {
                    ApiCallJournal.Record(Source, DownloadEndpoint, clock.GetUtcNow(), clock.GetUtcNow() - started, (int)response.StatusCode,
                        throttled: response.StatusCode == System.Net.HttpStatusCode.TooManyRequests);
                    var code = $"DOWNLOAD_HTTP_{(int)response.StatusCode}";
                    var reason = $"Downloading the result of {message.BulkOperationId} answered HTTP {(int)response.StatusCode}.";
                    await (IsTransient(response.StatusCode)
                        ? context.PublishWithin(new BulkExtractionDeferred(message.RunId, message.ShopDomain, message.Entity, code, reason,
                            message.BulkOperationId, ShopifyErrors.RetryAfter(response, clock)?.TotalSeconds))
                        : context.PublishWithin(new BulkExtractionFailed(message.RunId, message.ShopDomain, message.Entity, code, reason,
                            message.BulkOperationId)));
                    return;
                }
                await using var _ = download = new ReadTimeoutStream(await response.Content.ReadAsStreamAsync(context.CancellationToken), readTimeout);
                await using var body = message.Entity == Entities.Customers ? PersonalDataHashing.Hashed(download, context.CancellationToken) : download;
                await using var counting = new LineCountingStream(body);
                bytes = await archive.Upload(key, counting, "application/jsonl", context.CancellationToken);
                lines = counting.Lines;
                ApiCallJournal.Record(Source, DownloadEndpoint, clock.GetUtcNow(), clock.GetUtcNow() - started, (int)response.StatusCode, lines);
            }
            // The download broke (before its body, or reading it). The store failing while it writes is not caught here: it
            // faults the command as any consumer's infrastructure failure does, and the run waits it out.
            catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException
                && !context.CancellationToken.IsCancellationRequested && (download is null || download.Failed))
            {
                ApiCallJournal.Record(Source, DownloadEndpoint, clock.GetUtcNow(), clock.GetUtcNow() - started, status: null,
                    errorCode: "DOWNLOAD_INTERRUPTED");
                logger.LogWarning("Download of {BulkOperationId} interrupted: {Error}", message.BulkOperationId, exception.Message);
                await context.PublishWithin(new BulkExtractionDeferred(message.RunId, message.ShopDomain, message.Entity, "DOWNLOAD_INTERRUPTED",
                    $"Downloading the result of {message.BulkOperationId} was interrupted: {exception.Message}", message.BulkOperationId));
                return;
            }
        }

        logger.LogInformation(
            "Downloaded and archived {Lines} records ({Bytes} bytes) of {Entity} operation {BulkOperationId} as {ArchiveKey} in {DurationMs} ms",
            lines, bytes, message.Entity, message.BulkOperationId, key, (long)(clock.GetUtcNow() - started).TotalMilliseconds);
        await context.PublishWithin(new BulkResultArchived(message.RunId, message.ShopDomain, message.Entity, key, bytes, lines));
    }
}
