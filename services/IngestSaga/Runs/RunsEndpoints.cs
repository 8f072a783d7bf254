using System.Text.Json.Serialization;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>Starting a sync on demand, and reading runs with the time of each step.</summary>
public static class RunsEndpoints
{
    public const int MaxPageSize = 200;
    private static readonly string[] Initiators = ["cron", "user"];

    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/performance-metrics/sync", RequestSync);
        app.MapGet("/api/ingest/runs", ListRuns);
        app.MapGet("/api/ingest/runs/{runId:guid}", GetRun);
        return app;
    }

    public sealed record SyncRequest(
        [property: JsonPropertyName("run_id")] string? RunId,
        [property: JsonPropertyName("initiator")] string? Initiator,
        [property: JsonPropertyName("requested_at")] DateTimeOffset? RequestedAt,
        [property: JsonPropertyName("shop")] string? Shop,
        [property: JsonPropertyName("entities")] List<string>? Entities);

    private static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> RequestSync(HttpRequest http, IPublishEndpoint bus,
        IOptions<BulkSyncOptions> options, TimeProvider clock, ILogger<SyncRequest> logger)
    {
        SyncRequest? request = null;
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            (request, var problem) = await JsonBody.Read<SyncRequest>(http,
                """{ "shop", "initiator": "user" or "cron", "entities": [...], "run_id": an idempotency key }""");
            if (problem is not null) return problem;
        }
        request ??= new SyncRequest(null, null, null, null, null);
        var settings = options.Value;

        var initiator = request.Initiator ?? "user";
        if (!Initiators.Contains(initiator))
            return Problems.InvalidParameter("initiator", "initiator must be 'cron' or 'user'.");
        if (RequestedShop.Check(http.HttpContext, settings, RequestedShop.OrDefault(http.HttpContext, settings, request.Shop), out var shop) is { } shopProblem)
            return shopProblem;
        var entities = request.Entities is { Count: > 0 } ? request.Entities : settings.EntitiesToSync;
        var unknown = entities.Except(Entities.All).ToList();
        if (unknown.Count > 0)
            return Problems.InvalidParameter("entities", $"Unknown entities: {string.Join(", ", unknown)}; a sync extracts {string.Join(", ", Entities.All)}.");
        if (request.RunId is { } key && !RunIds.IsIdempotencyKey(key))
            return Problems.InvalidParameter("run_id",
                $"run_id is an idempotency key of 1 to {RunIds.MaxIdempotencyKeyLength} printable ASCII characters without spaces.");
        if (request.RequestedAt is not null)
            return Problems.InvalidParameter("requested_at",
                "requested_at is the server's time of receipt, from which the run's retry budget counts; a client cannot set it.");

        // A client's run_id is its idempotency key: the same key for the same shop is the same run, and no key can name a
        // scheduled run (their ids come from another namespace).
        var runId = request.RunId is { } idempotencyKey ? RunIds.FromClient(shop, idempotencyKey) : NewId.NextGuid();
        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["ShopDomain"] = shop }))
        {
            await bus.Publish(new SyncRequested(runId, shop, initiator, clock.GetUtcNow(), entities),
                http.HttpContext.RequestAborted);
            logger.LogInformation("Sync of {ShopDomain} requested by {Initiator}", shop, initiator);
        }
        return TypedResults.Accepted($"/api/ingest/runs/{runId}", new RunAccepted(runId, request.RunId, shop, initiator, $"/api/ingest/runs/{runId}"));
    }

    private static async Task<Results<Ok<RunPage>, ProblemHttpResult>> ListRuns(IngestDbContext db, string? shop, string? status, string? page,
        string? pageSize, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryInt(page, 1, int.MaxValue, out var pageNumber))
            return Problems.InvalidParameter("page", "page must be a whole number of 1 or more.");
        if (!QueryValues.TryInt(pageSize, 1, MaxPageSize, out var sizeOfPage))
            return Problems.InvalidParameter("pageSize", $"pageSize must be a whole number between 1 and {MaxPageSize}.");
        var number = pageNumber ?? 1;
        var size = sizeOfPage ?? 50;

        var query = db.BulkSyncs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(shop)) query = query.Where(r => r.ShopDomain == shop);
        if (!string.IsNullOrWhiteSpace(status))
        {
            var state = RunView.StateOf(status);
            if (state is null) return Problems.InvalidParameter("status", $"status must be one of {string.Join(", ", RunView.Statuses)}.");
            query = query.Where(r => r.CurrentState == state);
        }
        var marketing = db.MarketingSyncs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(shop)) marketing = marketing.Where(r => r.ShopDomain == shop);
        if (!string.IsNullOrWhiteSpace(status))
        {
            var state = RunView.StateOf(status);
            marketing = marketing.Where(r => r.CurrentState == state);
        }

        // Both kinds of run, newest first: each kind's newest up to the end of the page, merged.
        var total = await query.CountAsync(cancellationToken) + await marketing.CountAsync(cancellationToken);
        var skip = (long)(number - 1) * size;
        if (skip >= total) return TypedResults.Ok(new RunPage(Array.Empty<object>(), number, size, total));
        var upTo = (int)(skip + size);
        var bulk = (await query.OrderByDescending(r => r.RequestedAt).Take(upTo).ToListAsync(cancellationToken))
            .Select(r => (r.RequestedAt, View: (object)RunView.From(r)));
        var ads = (await marketing.OrderByDescending(r => r.RequestedAt).Take(upTo).ToListAsync(cancellationToken))
            .Select(r => (r.RequestedAt, View: (object)MarketingRunView.From(r)));
        var items = bulk.Concat(ads).OrderByDescending(r => r.RequestedAt).Skip((int)skip).Take(size).Select(r => r.View).ToList();
        return TypedResults.Ok(new RunPage(items, number, size, total));
    }

    /// <summary>One run; with <paramref name="shop"/>, only a run of that shop (a key limited to a shop names it, and sees no other shop's run).</summary>
    /// <remarks>
    /// A <see cref="RunView"/>, or a <see cref="MarketingRunView"/> for a marketing run. The OpenAPI document keeps one schema per
    /// status, the union's last: the <see cref="RunView"/>.
    /// </remarks>
    private static async Task<Results<Ok<MarketingRunView>, Ok<RunView>, ProblemHttpResult>> GetRun(Guid runId, string? shop, IngestDbContext db,
        LoadProgressClient loads, CancellationToken cancellationToken)
    {
        var notFound = TypedResults.Problem(statusCode: 404, title: "Run not found", detail: shop is null ? $"No run {runId}." : $"No run {runId} of {shop}.");
        var run = await db.BulkSyncs.AsNoTracking().SingleOrDefaultAsync(r => r.CorrelationId == runId, cancellationToken);
        if (run is not null && shop is not null && !string.Equals(run.ShopDomain, shop.Trim(), StringComparison.OrdinalIgnoreCase)) return notFound;
        if (run is null)
        {
            var marketing = await db.MarketingSyncs.AsNoTracking().SingleOrDefaultAsync(r => r.CorrelationId == runId, cancellationToken);
            if (marketing is null || (shop is not null && !string.Equals(marketing.ShopDomain, shop.Trim(), StringComparison.OrdinalIgnoreCase)))
                return notFound;
            return TypedResults.Ok(MarketingRunView.From(marketing));
        }
        var view = RunView.From(run);
        if (RunView.ShowsLoadProgress(run) && run.ArchiveKey is { } archiveKey)
            view = view with { Load = await loads.Find(runId, archiveKey, cancellationToken) };
        return TypedResults.Ok(view);
    }

}
