using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.IngestSaga.Schedules;

/// <summary><c>GET /api/ingest/schedules?shop=</c>: each scheduled job of the shops (the caller's), its cron and zone, its next run and its last.</summary>
public static class ScheduleEndpoints
{
    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ingest/schedules", List).WithSummary("Each shop's scheduled syncs: cron, time zone, next and last run");
        return app;
    }

    private static async Task<Results<Ok<ScheduleList>, ProblemHttpResult>> List(HttpContext http, string? shop, NpgsqlDataSource dataSource)
    {
        if (!string.IsNullOrWhiteSpace(shop) && ShopDomains.Validate(shop) is { } refusal) return Problems.InvalidParameter("shop", refusal);
        var shops = !string.IsNullOrWhiteSpace(shop) ? [ShopDomains.Normalize(shop)] : GatewayCaller.Of(http)?.Shops.ToArray() ?? [];
        await using var command = dataSource.CreateCommand("""
            SELECT shop_domain, job, cron, time_zone, next_run_at, last_run_id, last_fired_at FROM ingest.sync_schedule
            WHERE cardinality(@shops) = 0 OR lower(shop_domain) = ANY(@shops)
            ORDER BY shop_domain, job
            """);
        command.Parameters.AddWithValue("shops", shops);
        var schedules = new List<ScheduleView>();
        await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
        while (await reader.ReadAsync(http.RequestAborted))
            schedules.Add(new ScheduleView(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        return TypedResults.Ok(new ScheduleList(schedules));
    }
}
