using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

public static class ShopsEndpoint
{
    public static IEndpointRouteBuilder MapShops(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/shops", Get).WithSummary("The shops with loaded sales: each one's currency and reporting time zone");
        return app;
    }

    /// <summary>
    /// The shops the marts hold sales of, by domain, each with the currency its money is counted in and the IANA time zone
    /// its reporting days follow (what a dashboard needs to show a shop's figures as the shop reads them).
    /// </summary>
    /// <remarks>With <paramref name="shop"/>, that shop only (a key limited to some shops asks for each by name).</remarks>
    private static async Task<Ok<DashboardShopList>> Get(string? shop, NpgsqlDataSource dataSource, IOptions<MartsOptions> marts,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT shop_domain, (array_agg(currency_code ORDER BY date DESC))[1], max(date)
            FROM transform.sales_metrics_daily WHERE @shop IS NULL OR shop_domain = @shop
            GROUP BY shop_domain ORDER BY shop_domain
            """);
        command.Parameters.Add(new NpgsqlParameter<string?>("shop", NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = string.IsNullOrWhiteSpace(shop) ? null : shop.Trim(),
        });
        var shops = new List<DashboardShop>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var domain = reader.GetString(0);
            shops.Add(new DashboardShop(domain, reader.GetString(1), marts.Value.TimeZoneOf(domain), reader.GetFieldValue<DateOnly>(2)));
        }
        return TypedResults.Ok(new DashboardShopList(shops));
    }
}
