using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Security;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Costs;

/// <summary>
/// Product costs for operators, for shops that keep no cost in Shopify or keep it wrong: <c>GET /api/costs/variants</c>
/// (viewers) reads a shop's cost history; <c>PUT /api/costs/variants/{variantId}</c> gives a variant a cost from a day on,
/// <c>POST /api/costs/variants</c> many at once from a CSV (<see cref="CostCsv"/>), <c>DELETE</c> removes an override
/// (operators). A write queues the refresh of the shop's profit from the first day it changes.
/// </summary>
public static class CostEndpoints
{
    public const int MaxListed = 5_000;

    public static IEndpointRouteBuilder MapCosts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/costs/variants", List).WithSummary("A shop's unit costs by variant, as Shopify gave them and as operators overrode them");
        app.MapPut("/api/costs/variants/{variantId:long}", Put).WithSummary("A variant's unit cost from a day on (an override)");
        app.MapPost("/api/costs/variants", Upload).Accepts<string>("text/csv").WithSummary("Many variants' costs from a CSV");
        app.MapDelete("/api/costs/variants/{variantId:long}", Remove).WithSummary("Removes a variant's override (of one day, or all)");
        return app.MapCostRules();
    }

    private static async Task<Results<Ok<VariantCostList>, ProblemHttpResult>> List(string? shop, string? variant, VariantCosts costs,
        CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        long? variantId = null;
        if (!string.IsNullOrEmpty(variant))
        {
            if (!long.TryParse(variant, out var id) || id <= 0) return Problems.InvalidParameter("variant", "variant must be a variant's numeric id.");
            variantId = id;
        }
        return TypedResults.Ok(new VariantCostList(domain, await costs.List(domain, variantId, MaxListed, cancellationToken)));
    }

    private static async Task<Results<Ok<CostsWritten>, ProblemHttpResult>> Put(long variantId, string? shop, HttpRequest http, VariantCosts costs,
        NpgsqlDataSource dataSource, IPublishEndpoint bus, IOptions<MartsOptions> marts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        var (request, problem) = await JsonBody.Read<CostOverrideRequest>(http,
            """{ "unit_cost_minor": 350, "currency_code": "USD", "effective_from": "YYYY-MM-DD" }""");
        if (problem is not null) return problem;
        if (request?.UnitCostMinor is not { } cost || cost < 0)
            return Problems.InvalidParameter("unit_cost_minor", "unit_cost_minor is the unit cost in minor units of the shop's currency, zero or more.");
        if (request.EffectiveFrom is not { } from || from.Year is < 2000 or > 2100)
            return Problems.InvalidParameter("effective_from", "effective_from is the first day (YYYY-MM-DD, from 2000 to 2100) the cost holds.");
        var (given, wrongCurrency) = await ShopCurrencyOf(request.CurrencyCode, dataSource, domain, cancellationToken);
        if (wrongCurrency is not null) return wrongCurrency;
        if ((await costs.Unknown(domain, [variantId], cancellationToken)).Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Variant not found",
                detail: $"{domain} neither lists nor has sold variant {variantId}.");

        var written = await costs.Override(domain, [new CostOverride(variantId, cost, given!, from)], GatewayCaller.Of(http.HttpContext)?.Caller,
            cancellationToken);
        return TypedResults.Ok(await Refresh(domain, written, from, bus, marts.Value, clock, cancellationToken));
    }

    private static async Task<Results<Ok<CostsWritten>, ProblemHttpResult>> Upload(string? shop, HttpRequest http, VariantCosts costs,
        NpgsqlDataSource dataSource, IPublishEndpoint bus, IOptions<MartsOptions> marts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        if (http.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.InvalidParameter("body", "The body must be a CSV (text/csv): variant_id or sku, unit_cost, effective_from.");
        var currency = await ShopCurrency.Find(dataSource, domain, cancellationToken);
        if (currency is null)
            return Problems.InvalidParameter("shop", $"{domain} has no orders loaded yet: its currency, which the costs are in, is not known.");
        using var reader = new StreamReader(http.Body);
        var (rows, problems) = CostCsv.Read(await reader.ReadToEndAsync(cancellationToken), currency);

        // A SKU names the variant the shop lists under it; a variant the shop does not know is named, and nothing is kept.
        var bySku = rows.Any(r => r.VariantId is null) ? await costs.VariantsBySku(domain, cancellationToken) : [];
        var overrides = new List<CostOverride>();
        foreach (var row in rows)
        {
            if ((row.VariantId ?? (bySku.TryGetValue(row.Sku!, out var found) ? found : (long?)null)) is not { } variantId)
                problems.Add($"line {row.Line}: {domain} lists no variant of sku '{row.Sku}'.");
            else overrides.Add(new CostOverride(variantId, row.UnitCostMinor, currency, row.EffectiveFrom));
        }
        if (overrides.Count > 0)
            foreach (var unknown in await costs.Unknown(domain, overrides.Select(o => o.VariantId).ToList(), cancellationToken))
                problems.Add($"line {rows.First(r => r.VariantId == unknown).Line}: {domain} neither lists nor has sold variant {unknown}.");
        if (problems.Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid parameter 'body'",
                detail: $"{problems.Count} line(s) of the CSV are wrong and no cost was kept: {string.Join(" ", problems.Take(20))}",
                extensions: new Dictionary<string, object?> { ["parameter"] = "body", ["errors"] = problems.Take(100).ToList() });

        var written = await costs.Override(domain, overrides, GatewayCaller.Of(http.HttpContext)?.Caller, cancellationToken);
        return TypedResults.Ok(await Refresh(domain, written, overrides.Min(o => o.EffectiveFrom), bus, marts.Value, clock, cancellationToken));
    }

    private static async Task<Results<Ok<CostsWritten>, ProblemHttpResult>> Remove(long variantId, string? shop, string? effective_from, VariantCosts costs,
        IPublishEndpoint bus, IOptions<MartsOptions> marts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        if (!QueryValues.TryDate(effective_from, out var day))
            return Problems.InvalidParameter("effective_from", "effective_from must be a date (YYYY-MM-DD) from 2000 to 2100, or absent (every override).");
        var removed = await costs.RemoveOverride(domain, variantId, day, cancellationToken);
        if (removed.Count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Override not found",
                detail: $"Variant {variantId} of {domain} has no override{(day is null ? "" : $" from {day:yyyy-MM-dd}")}.");
        return TypedResults.Ok(await Refresh(domain, removed.Count, removed.Min(), bus, marts.Value, clock, cancellationToken));
    }

    /// <summary>
    /// A cost's currency as a write gives it: three letters, and the shop's currency once the shop's orders say which it is;
    /// else the problem naming <c>currency_code</c>.
    /// </summary>
    internal static async Task<(string? Currency, ProblemHttpResult? Problem)> ShopCurrencyOf(string? given, NpgsqlDataSource dataSource, string shop,
        CancellationToken cancellationToken)
    {
        var currency = await ShopCurrency.Find(dataSource, shop, cancellationToken);
        return given is not { Length: 3 } || (currency is not null && !string.Equals(given, currency, StringComparison.Ordinal))
            ? (null, Problems.InvalidParameter("currency_code", $"currency_code is the shop's currency{(currency is null ? "" : $", {currency}")}."))
            : (given, null);
    }

    /// <summary>Queues the refresh of the shop's daily sales and profit from <paramref name="from"/> (at most the last 366 days) to its today.</summary>
    internal static async Task<CostsWritten> Refresh(string shop, int written, DateOnly from, IPublishEndpoint bus, MartsOptions marts, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var today = marts.Today(shop, clock.GetUtcNow());
        var first = from < today.AddDays(-365) ? today.AddDays(-365) : from > today ? today : from;
        var runId = NewId.NextGuid();
        await bus.Publish(new RunPipelines(runId, shop, Pipelines.SalesPulse, first, today), cancellationToken);
        return new CostsWritten(shop, written, first, today, runId, $"/api/etl/runs/{runId}");
    }
}
