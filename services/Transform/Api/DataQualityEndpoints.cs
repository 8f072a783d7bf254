using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
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
    private static async Task<IResult> Latest(string? shop, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = domain;
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (check_name) check_name, severity, violations, passed, checked_at, run_id
            FROM transform.data_quality_result WHERE shop_domain = @shop ORDER BY check_name, checked_at DESC, id DESC
            """);
        command.Parameters.AddWithValue("shop", shop);
        var checks = new List<object>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            checks.Add(new
            {
                check = name,
                description = DataQualityChecks.All.Concat(Marketing.MarketingChecks.All).FirstOrDefault(c => c.Name == name)?.Description,
                severity = reader.GetString(1),
                violations = reader.GetInt64(2),
                passed = reader.GetBoolean(3),
                checked_at = new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
                run_id = reader.IsDBNull(5) ? (Guid?)null : reader.GetGuid(5),
            });
        }
        return Results.Json(new { shop, checks });
    }
}
