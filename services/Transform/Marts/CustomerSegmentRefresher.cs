using GrowthOs.Transform.Loading;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>Rebuilds the customer segments of a shop as of a day (definitions in customer_segments.sql).</summary>
public sealed class CustomerSegmentRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Sql = SqlScripts.Read("customer_segments.sql");

    public async Task<long> Refresh(string shop, DateOnly asOf, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var thresholds = settings.Segments;
        var exponent = Money.Exponent(await ShopCurrency.Find(dataSource, shop, cancellationToken) ?? "USD");
        long Minor(decimal major) => (long)decimal.Round(major * Pow10(exponent), 0, MidpointRounding.AwayFromZero);
        return await SqlScripts.Replace(dataSource, "DELETE FROM transform.customer_segments WHERE shop_domain = @shop", Sql,
            parameters =>
            {
                parameters.AddWithValue("shop", shop);
                parameters.AddWithValue("as_of", asOf);
                parameters.AddWithValue("tz", settings.TimeZoneOf(shop));
                parameters.AddWithValue("pro_orders", (long)thresholds.ProfessionalOrders);
                parameters.AddWithValue("pro_aov", Minor(thresholds.ProfessionalAov));
                parameters.AddWithValue("enthusiast_orders", (long)thresholds.EnthusiastOrders);
                parameters.AddWithValue("enthusiast_aov", Minor(thresholds.EnthusiastAov));
                parameters.AddWithValue("diy_orders", (long)thresholds.DiyOrders);
                parameters.AddWithValue("active_days", thresholds.ActiveDays);
                parameters.AddWithValue("churned_days", thresholds.ChurnedAfterDays);
            },
            cancellationToken);
    }

    private static decimal Pow10(int exponent)
    {
        var factor = 1m;
        for (var i = 0; i < exponent; i++) factor *= 10;
        return factor;
    }
}
