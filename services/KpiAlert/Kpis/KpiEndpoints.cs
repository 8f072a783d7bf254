using GrowthOs.ServiceDefaults.Hosting;
using Npgsql;

namespace GrowthOs.KpiAlert.Kpis;

public static class KpiEndpoints
{
    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpis", Latest);
        return app;
    }

    /// <summary>The latest week-over-week KPIs of a shop.</summary>
    private static async Task<IResult> Latest(string? shop, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(shop))
            return Problems.InvalidParameter("shop", "shop is required.");

        await using var command = dataSource.CreateCommand("""
            SELECT as_of, kpi, currency_code, current_value, previous_value, change_basis_points FROM kpi.kpi_snapshot
            WHERE shop_domain = @shop AND as_of = (SELECT max(as_of) FROM kpi.kpi_snapshot WHERE shop_domain = @shop) ORDER BY kpi
            """);
        command.Parameters.AddWithValue("shop", shop);
        var kpis = new List<object>();
        DateOnly? asOf = null;
        string? currency = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            asOf = reader.GetFieldValue<DateOnly>(0);
            currency = reader.GetString(2);
            kpis.Add(new
            {
                name = reader.GetString(1),
                current = reader.GetInt64(3),
                previous = reader.GetInt64(4),
                change_basis_points = reader.IsDBNull(5) ? (long?)null : reader.GetInt64(5),
            });
        }
        return asOf is null
            ? Results.Problem(statusCode: 404, title: "No KPIs yet", detail: $"No KPIs have been computed for {shop}.")
            : Results.Json(new { shop, as_of = asOf, currency_code = currency, kpis });
    }
}
