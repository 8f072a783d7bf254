using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Replay;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>
/// <c>POST /api/marketing/sync { "shop", "sources", "from", "to" }</c>: one run per source (every source the shop syncs
/// when none is named); with <c>from</c> and <c>to</c>, those days whatever the watermark (a backfill). And the replay of
/// a marketing source's archive (<c>POST /api/ingest/replay?shop=&amp;source=</c>): an archived manifest, or an
/// uploaded JSON array of the API's own response bodies, archived first as a fetch's pages are.
/// </summary>
public static class MarketingSyncEndpoints
{
    /// <summary>Days a backfill may read at most in one run.</summary>
    public const int MaxBackfillDays = 1_100;

    public static IEndpointRouteBuilder MapMarketingSync(this IEndpointRouteBuilder app)
    {
        // 202 without a Location: the answer names a run per source.
        app.MapPost("/api/marketing/sync", RequestSync).Produces<MarketingSyncAccepted>(StatusCodes.Status202Accepted);
        return app;
    }

    public sealed record MarketingSyncRequest(
        [property: JsonPropertyName("shop")] string? Shop,
        [property: JsonPropertyName("sources")] List<string>? Sources,
        [property: JsonPropertyName("from")] DateOnly? From,
        [property: JsonPropertyName("to")] DateOnly? To);

    private static async Task<Results<JsonHttpResult<MarketingSyncAccepted>, ProblemHttpResult>> RequestSync(HttpRequest http, IPublishEndpoint bus,
        IOptions<BulkSyncOptions> bulkSync, IOptions<MarketingSyncOptions> options, TimeProvider clock, ILogger<MarketingSyncRequest> logger)
    {
        var (request, problem) = await JsonBody.Read<MarketingSyncRequest>(http,
            """{ "shop", "sources": ["meta", "google_ads", "ga4"], "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }""");
        if (problem is not null) return problem;
        if (RequestedShop.Check(http.HttpContext, bulkSync.Value, request?.Shop, out var shop) is { } shopProblem) return shopProblem;
        var configured = options.Value.SourcesOf(shop);
        var sources = request!.Sources is { Count: > 0 } named ? named.Distinct().ToList() : configured.ToList();
        if (sources.Except(MarketingSources.All).ToList() is { Count: > 0 } unknown)
            return Problems.InvalidParameter("sources",
                $"Unknown sources: {string.Join(", ", unknown)}; a marketing sync reads {string.Join(", ", MarketingSources.All)}.");
        if (sources.Except(configured).ToList() is { Count: > 0 } notSynced)
            return Problems.InvalidParameter("sources", $"{shop} does not sync {string.Join(", ", notSynced)} (MarketingSync:Shops)"
                + $"{(configured.Count > 0 ? $"; it syncs {string.Join(", ", configured)}" : "")}.");
        if (request.From is null != request.To is null)
            return Problems.InvalidParameter(request.From is null ? "from" : "to", "from and to are given together, or neither.");
        if (request.From is { } from && request.To is { } to)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (to >= today)
                return Problems.InvalidParameter("to", $"to must be a past day (before {today:yyyy-MM-dd}): the platforms revise a day until it is over.");
            if (DateRanges.Check(from, to, DateRanges.FirstDay, today, "a marketing backfill") is { } rangeProblem) return rangeProblem;
            if (to.DayNumber - from.DayNumber + 1 > MaxBackfillDays)
                return Problems.InvalidParameter("from", $"A marketing backfill reads at most {MaxBackfillDays} days.");
        }

        var now = clock.GetUtcNow();
        var runs = new List<MarketingRunAccepted>();
        foreach (var source in sources)
        {
            var runId = NewId.NextGuid();
            using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["ShopDomain"] = shop }))
            {
                await bus.Publish(new MarketingSyncRequested(runId, shop, source, "user", now, request.From, request.To), http.HttpContext.RequestAborted);
                logger.LogInformation("Marketing sync of {ShopDomain} from {Source} requested", shop, source);
            }
            runs.Add(new MarketingRunAccepted(runId, source, $"/api/ingest/runs/{runId}"));
        }
        return TypedResults.Json(new MarketingSyncAccepted(shop, runs), statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The largest <c>{ "archiveKey" }</c> body.</summary>
    private const int MaxReferenceBytes = 64 * 1024;

    /// <summary>The largest response body of an uploaded array: far past any page a source answers (GA4's 250,000 rows are under it).</summary>
    public const int MaxPageBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Replays a marketing source: <c>{ "archiveKey" }</c> names a manifest under the shop's own <c>raw/{source}/{shop}/</c>,
    /// or the body is a JSON array of the API's response bodies (one per page), read and archived one page at a time
    /// (a page past <see cref="MaxPageBytes"/> is refused) with a manifest before the run starts.
    /// </summary>
    public static async Task<Results<Accepted<ReplayAccepted>, ProblemHttpResult>> Replay(string shop, string? source, HttpRequest http, ObjectStore store,
        IPublishEndpoint bus, TimeProvider clock, ILogger logger)
    {
        if (source is null || !MarketingSources.All.Contains(source))
            return Problems.InvalidParameter("source", $"source must be one of {string.Join(", ", MarketingSources.All)}.");
        if (!string.Equals(http.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type",
                detail: "Send application/json: { \"archiveKey\": \"…/manifest.json\" }, or a JSON array of the API's response bodies.");

        var runId = NewId.NextGuid();
        var now = clock.GetUtcNow();
        var cancellation = http.HttpContext.RequestAborted;
        string manifestKey;
        try
        {
            switch (await JsonArrayElements.Peek(http.BodyReader, cancellation))
            {
                case JsonTokenType.StartObject:
                    using (var reference = await JsonArrayElements.ReadWhole(http.BodyReader, MaxReferenceBytes, cancellation))
                        manifestKey = reference.RootElement.TryGetProperty("archiveKey", out var key) && key.ValueKind == JsonValueKind.String
                            ? key.GetString()!
                            : "";
                    if (manifestKey.Length == 0)
                        return Problems.InvalidParameter("archiveKey", "archiveKey is required: the key of a marketing run's manifest.json.");
                    if (!MarketingArchiveKeys.IsOf(manifestKey, source, shop) || !manifestKey.EndsWith("/manifest.json", StringComparison.Ordinal))
                        return Problems.InvalidParameter("archiveKey", $"archiveKey must name a manifest.json under raw/{source}/{shop}/.");
                    if (!await store.Exists(manifestKey, cancellation))
                        return TypedResults.Problem(statusCode: 404, title: "Archive not found", detail: $"No archived manifest '{manifestKey}'.");
                    break;
                case JsonTokenType.StartArray:
                    // Each page is archived as it arrives: memory holds one page, never the upload.
                    var prefix = MarketingArchiveKeys.Prefix(source, shop, now, runId, 1);
                    var archived = new List<MarketingArchivedPage>();
                    await foreach (var page in JsonArrayElements.Read(http.BodyReader, MaxPageBytes, cancellation))
                    {
                        if (page[0] is not ((byte)'{' or (byte)'['))
                            return Problems.InvalidParameter("body",
                                $"Element {archived.Count} is not a response body (a JSON object, or Google Ads' array of batches).");
                        var key = MarketingArchiveKeys.Page(prefix, archived.Count + 1);
                        await store.PutText(key, Encoding.UTF8.GetString(page), "application/json", cancellation);
                        archived.Add(new MarketingArchivedPage(key, "upload", "", null, null, now, 0, page.Length));
                    }
                    if (archived.Count == 0) return Problems.InvalidParameter("body", "The array holds no response bodies.");
                    manifestKey = MarketingArchiveKeys.Manifest(prefix);
                    var manifest = new MarketingArchiveManifest(source, shop, "upload", runId, 1, null, null, now, false, null, archived);
                    await store.PutText(manifestKey, JsonSerializer.Serialize(manifest, JsonSerializerOptions.Web), "application/json", cancellation);
                    break;
                default:
                    return Problems.InvalidParameter("body", "The body is { \"archiveKey\" } or a JSON array of response bodies.");
            }
        }
        catch (JsonBodyException exception)
        {
            return Problems.InvalidParameter("body", exception.Message);
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["ShopDomain"] = shop }))
        {
            await bus.Publish(new MarketingReplayRequested(runId, shop, source, manifestKey, now), cancellation);
            logger.LogInformation("Replay of {Source} from {ManifestKey} requested", source, manifestKey);
        }
        return TypedResults.Accepted($"/api/ingest/runs/{runId}", new ReplayAccepted(runId, shop, source, manifestKey, $"/api/ingest/runs/{runId}"));
    }
}
