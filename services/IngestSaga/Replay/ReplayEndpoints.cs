using System.Text.Json;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.Replay;

/// <summary>
/// <c>POST /api/ingest/replay?shop=</c>: re-ingests a bulk JSONL through the upsert and transform steps without calling
/// Shopify: either one already archived (<c>{ "archiveKey": "..." }</c>) or one sent as the body
/// (<c>application/x-ndjson</c>), which is archived first, streamed, in constant memory, its personal data hashed
/// (<see cref="PersonalDataHashing"/>). <c>entity=</c> says what the file
/// holds; without it, an archive key of a sync's file (<c>raw/shopify/{shop}/{entity}/...</c>) names it, and anything else
/// is taken for orders. <c>source=meta|google_ads|ga4</c> replays a marketing source instead (<see cref="MarketingSyncEndpoints.Replay"/>).
/// </summary>
public static class ReplayEndpoints
{
    public const string NdJson = "application/x-ndjson";

    public static IEndpointRouteBuilder MapReplay(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/ingest/replay", Replay);
        return app;
    }

    private sealed record ArchiveReference(string? ArchiveKey);

    private static async Task<Results<Accepted<ReplayAccepted>, ProblemHttpResult>> Replay(
        string? shop, string? entity, string? source, HttpRequest http, ObjectStore store, IPublishEndpoint bus, IOptions<BulkSyncOptions> options,
        TimeProvider clock, ILogger<ArchiveReference> logger)
    {
        if (RequestedShop.Check(http.HttpContext, options.Value, shop, out var syncedShop) is { } shopProblem) return shopProblem;
        shop = syncedShop;
        if (source is not null)
        {
            if (entity is not null) return Problems.InvalidParameter("entity", "A replay names an entity of Shopify's or a marketing source, not both.");
            return await MarketingSyncEndpoints.Replay(shop, source, http, store, bus, clock, logger);
        }

        if (entity is not null && !Entities.All.Contains(entity))
            return Problems.InvalidParameter("entity", $"entity must be one of {string.Join(", ", Entities.All)}.");

        var runId = NewId.NextGuid();
        var now = clock.GetUtcNow();
        string archiveKey;
        var mediaType = http.ContentType?.Split(';')[0].Trim();
        if (string.Equals(mediaType, NdJson, StringComparison.OrdinalIgnoreCase))
        {
            archiveKey = $"raw/replay/{shop}/{now.UtcDateTime:yyyy/MM/dd}/{runId:N}.jsonl";
            // Hashed on its way to the archive as the Connector's downloads are: no plain e-mail, name or address is stored.
            await using var hashed = PersonalDataHashing.Hashed(http.Body, http.HttpContext.RequestAborted);
            long bytes;
            try
            {
                bytes = await store.Upload(archiveKey, hashed, "application/jsonl", http.HttpContext.RequestAborted);
            }
            catch (Exception exception) when (LineTooLongException.In(exception) is { } tooLong)
            {
                return Problems.InvalidParameter("body", tooLong.Message);
            }
            if (bytes == 0) return Problems.InvalidParameter("body", "The JSONL body is empty.");
        }
        else if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            var (reference, problem) =
                await JsonBody.Read<ArchiveReference>(http, """{ "archiveKey": "raw/shopify/{shop}/…/….jsonl" }""", JsonSerializerOptions.Web);
            if (problem is not null) return problem;
            if (string.IsNullOrWhiteSpace(reference?.ArchiveKey))
                return Problems.InvalidParameter("archiveKey", "archiveKey is required.");
            if (!IsArchiveOf(reference.ArchiveKey, shop))
                return Problems.InvalidParameter("archiveKey",
                    $"archiveKey must name a .jsonl file archived for {shop}: under raw/shopify/{shop}/ or raw/replay/{shop}/.");
            if (!await store.Exists(reference.ArchiveKey, http.HttpContext.RequestAborted))
                return TypedResults.Problem(statusCode: 404, title: "Archive not found", detail: $"No archived object '{reference.ArchiveKey}'.");
            archiveKey = reference.ArchiveKey;
        }
        else
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type",
                detail: $"Send application/json with an archiveKey, or the JSONL itself as {NdJson}.");
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["ShopDomain"] = shop }))
        {
            await bus.Publish(new ReplayRequested(runId, shop, entity ?? EntityOfSyncArchive(archiveKey), archiveKey, now), http.HttpContext.RequestAborted);
            logger.LogInformation("Replay of {ArchiveKey} requested", archiveKey);
        }
        return TypedResults.Accepted($"/api/ingest/runs/{runId}", new ReplayAccepted(runId, shop, Source: null, archiveKey, $"/api/ingest/runs/{runId}"));
    }

    /// <summary>
    /// Whether <paramref name="archiveKey"/> lies under the shop's own archive: a sync's download
    /// (<c>raw/shopify/{shop}/…</c>) or an upload (<c>raw/replay/{shop}/…</c>), a <c>.jsonl</c> file, with no empty,
    /// <c>.</c> or <c>..</c> segment. Another shop's file is never loaded into this one.
    /// </summary>
    internal static bool IsArchiveOf(string archiveKey, string shop) =>
        archiveKey.Split('/') is ["raw", "shopify" or "replay", var owner, .. var rest]
        && string.Equals(owner, shop, StringComparison.Ordinal)
        && rest.Length > 0 && rest.All(segment => segment.Length > 0 && segment != "." && segment != "..")
        && archiveKey.EndsWith(".jsonl", StringComparison.Ordinal);

    /// <summary>The entity a sync's archived file holds, from its key (<c>raw/shopify/{shop}/{entity}/...</c>); orders for any other key.</summary>
    private static string EntityOfSyncArchive(string archiveKey) =>
        archiveKey.Split('/') is ["raw", "shopify", _, var entity, ..] && Entities.All.Contains(entity) ? entity : Entities.Orders;
}
