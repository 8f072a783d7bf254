using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;

namespace GrowthOs.Transform.Api;

/// <summary><c>POST /api/etl/run?pipeline=&amp;shop=&amp;from=&amp;to=</c>: one pipeline, or "all", for one day or a range of days.</summary>
public static class PipelineEndpoints
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapPipelineRuns(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/etl/run", Run);
        return app;
    }

    private static async Task<IResult> Run(string? pipeline, string? shop, string? from, string? to, string? date, PipelineRunner runner,
        CancellationToken cancellationToken)
    {
        pipeline ??= "all";
        if (pipeline != "all" && !PipelineRunner.All.Contains(pipeline))
            return Problems.InvalidParameter("pipeline", $"pipeline must be 'all' or one of {string.Join(", ", PipelineRunner.All)}.");
        if (string.IsNullOrWhiteSpace(shop) && pipeline != Pipelines.Rolling30d)
            return Problems.InvalidParameter("shop", "shop is required (except for rolling_30d, which rebuilds every shop).");
        var yesterday = shop is null ? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1) : runner.Today(shop).AddDays(-1);
        if (!QueryValues.TryDate(date, out var day)) return Problems.InvalidParameter("date", "date must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(from, out var first)) return Problems.InvalidParameter("from", "from must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(to, out var last)) return Problems.InvalidParameter("to", "to must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (day is not null && (first is not null || last is not null))
            return Problems.InvalidParameter("date", "give either date, or from and to.");
        var (start, end) = day is { } d ? (d, d) : (first ?? last ?? yesterday, last ?? first ?? yesterday);
        if (start > end) return Problems.InvalidParameter("from", "from must not be after to.");
        if (end.DayNumber - start.DayNumber >= MaxDays) return Problems.InvalidParameter("to", $"a run covers at most {MaxDays} days.");

        var results = await runner.Run(pipeline, shop ?? "*", start, end, cancellationToken);
        return Results.Json(new
        {
            shop,
            from = start,
            to = end,
            pipelines = results.Select(r => new { pipeline = r.Pipeline, rows = r.Rows, milliseconds = r.Milliseconds }),
        });
    }
}
