using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.Transform.Api;

public static class DataQualityEndpoints
{
    public static IEndpointRouteBuilder MapDataQuality(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/etl/data-quality", Latest);
        return app;
    }

    /// <summary>The latest outcome of every check for a shop, with what the check means.</summary>
    private static async Task<Results<Ok<DataQualityReport>, ProblemHttpResult>> Latest(string? shop, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = domain;
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (check_name) check_name, severity, violations, passed, checked_at, run_id
            FROM transform.data_quality_result WHERE shop_domain = @shop ORDER BY check_name, checked_at DESC, id DESC
            """);
        command.Parameters.AddWithValue("shop", shop);
        var checks = new List<DataQualityCheckStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            checks.Add(new DataQualityCheckStatus(
                name,
                DataQualityChecks.All.Concat(Marketing.MarketingChecks.All).FirstOrDefault(c => c.Name == name)?.Description,
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetBoolean(3),
                new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
                reader.IsDBNull(5) ? null : reader.GetGuid(5)));
        }
        return TypedResults.Ok(new DataQualityReport(shop, checks));
    }
}
