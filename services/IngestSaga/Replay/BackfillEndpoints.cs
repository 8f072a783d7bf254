using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Hosting;
using MassTransit;
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

    private static async Task<IResult> Backfill(HttpRequest http, IPublishEndpoint bus, IOptions<BulkSyncOptions> options, TimeProvider clock, ILogger<BackfillRequest> logger)
    {
        BackfillRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync<BackfillRequest>(http.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return Problems.InvalidParameter("body", $"The body must be {{ \"shop\", \"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\" }}: {exception.Message}");
        }
        if (RequestedShop.Check(options.Value, request?.Shop, out var shop) is { } shopProblem) return shopProblem;
        if (request!.From is not { } from) return Problems.InvalidParameter("from", "from is required (YYYY-MM-DD).");
        if (request.To is not { } to) return Problems.InvalidParameter("to", "to is required (YYYY-MM-DD).");
        if (from > to) return Problems.InvalidParameter("from", "from must not be after to.");

        var runId = NewId.NextGuid();
        using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["ShopDomain"] = shop }))
        {
            await bus.Publish(new BackfillRequested(runId, shop, from, to, clock.GetUtcNow()), http.HttpContext.RequestAborted);
            logger.LogInformation("Backfill of {ShopDomain} from {From} to {To} requested", shop, from, to);
        }
        return Results.Accepted($"/api/ingest/runs/{runId}", new { run_id = runId, shop, from, to, status_url = $"/api/ingest/runs/{runId}" });
    }
}
