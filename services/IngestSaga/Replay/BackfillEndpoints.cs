using System.Text.Json.Serialization;
using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.Replay;

/// <summary>
/// <c>POST /api/ingest/backfill { "shop", "from", "to" }</c>: re-reads every order created in the date range (UTC,
/// inclusive) in a run of its own (FULL_BACKFILL_EXECUTE). It ignores the watermark floor, never moves the daily
/// watermark, and runs beside the daily sync.
/// </summary>
public static class BackfillEndpoints
{
    public static IEndpointRouteBuilder MapBackfill(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/ingest/backfill", Backfill);
        return app;
    }

    public sealed record BackfillRequest(
        [property: JsonPropertyName("shop")] string? Shop,
        [property: JsonPropertyName("from")] DateOnly? From,
        [property: JsonPropertyName("to")] DateOnly? To);

    private static async Task<Results<Accepted<BackfillAccepted>, ProblemHttpResult>> Backfill(HttpRequest http, IPublishEndpoint bus,
        IOptions<BulkSyncOptions> options, TimeProvider clock, ILogger<BackfillRequest> logger)
    {
        var (request, problem) = await JsonBody.Read<BackfillRequest>(http, """{ "shop", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }""");
        if (problem is not null) return problem;
        if (RequestedShop.Check(http.HttpContext, options.Value, request?.Shop, out var shop) is { } shopProblem) return shopProblem;
        if (request!.From is not { } from) return Problems.InvalidParameter("from", "from is required (YYYY-MM-DD).");
        if (request.To is not { } to) return Problems.InvalidParameter("to", "to is required (YYYY-MM-DD).");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (DateRanges.Check(from, to, DateRanges.FirstDay, today.AddDays(1), "a backfill") is { } rangeProblem) return rangeProblem;

        var runId = NewId.NextGuid();
        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["ShopDomain"] = shop }))
        {
            await bus.Publish(new BackfillRequested(runId, shop, from, to, clock.GetUtcNow()), http.HttpContext.RequestAborted);
            logger.LogInformation("Backfill of {ShopDomain} from {From} to {To} requested", shop, from, to);
        }
        return TypedResults.Accepted($"/api/ingest/runs/{runId}", new BackfillAccepted(runId, shop, from, to, $"/api/ingest/runs/{runId}"));
    }
}
