using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Security;
using GrowthOs.Transform.Marts;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Costs;

/// <summary>
/// A shop's cost rules: shipping (per order, per unit, or a share of revenue), payment fees for the orders whose fees
/// Shopify does not report, and fixed monthly expenses, each effective from a day (to a day). <c>GET /api/costs/rules</c>
/// for viewers; <c>POST</c>, <c>PUT /api/costs/rules/{ruleId}</c> and <c>DELETE</c> for operators. Rules are applied when
/// the profit is read, so a change shows at once, over every day it covers; a write also queues the refresh of those days
/// (at most the last 366), whose daily sales, published again, carry the profit to the KPIs and alerts.
/// </summary>
public static class CostRuleEndpoints
{
    private const string Shape = """{ "kind": "shipping_per_order", "name": "Carrier", "currency_code": "USD", "amount_minor": 450, "rate": 0, """
        + """ "effective_from": "YYYY-MM-DD", "effective_to": null }""";

    public static IEndpointRouteBuilder MapCostRules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/costs/rules", List).WithSummary("A shop's cost rules: shipping, payment fees and fixed expenses");
        app.MapPost("/api/costs/rules", Add).WithSummary("Adds a cost rule to a shop");
        app.MapPut("/api/costs/rules/{ruleId:long}", Replace).WithSummary("Replaces a cost rule of a shop");
        app.MapDelete("/api/costs/rules/{ruleId:long}", Remove).WithSummary("Removes a cost rule of a shop");
        return app;
    }

    private static async Task<Results<Ok<CostRuleList>, ProblemHttpResult>> List(string? shop, CostRules rules, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        return TypedResults.Ok(new CostRuleList(domain, await rules.List(domain, cancellationToken)));
    }

    private static async Task<Results<Created<CostRule>, ProblemHttpResult>> Add(string? shop, HttpRequest http, CostRules rules,
        NpgsqlDataSource dataSource, IPublishEndpoint bus, IOptions<MartsOptions> marts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        var (rule, problem) = await Bind(http, domain, 0, dataSource, cancellationToken);
        if (problem is not null) return problem;
        if (await rules.Add(domain, rule!, cancellationToken) is not { } added)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many cost rules",
                detail: $"{domain} has {CostRules.MaxPerShop} cost rules, the most a shop keeps; remove or end one first.");
        await CostEndpoints.Refresh(domain, 1, added.EffectiveFrom, bus, marts.Value, clock, cancellationToken);
        return TypedResults.Created($"/api/costs/rules/{added.RuleId}?shop={domain}", added);
    }

    private static async Task<Results<Ok<CostRule>, ProblemHttpResult>> Replace(long ruleId, string? shop, HttpRequest http, CostRules rules,
        NpgsqlDataSource dataSource, IPublishEndpoint bus, IOptions<MartsOptions> marts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        var (rule, problem) = await Bind(http, domain, ruleId, dataSource, cancellationToken);
        if (problem is not null) return problem;
        var before = (await rules.List(domain, cancellationToken)).FirstOrDefault(r => r.RuleId == ruleId);
        if (before is null || await rules.Replace(domain, rule!, cancellationToken) is not { } replaced) return NotFound(domain, ruleId);
        var from = before.EffectiveFrom < replaced.EffectiveFrom ? before.EffectiveFrom : replaced.EffectiveFrom;
        await CostEndpoints.Refresh(domain, 1, from, bus, marts.Value, clock, cancellationToken);
        return TypedResults.Ok(replaced);
    }

    private static async Task<Results<Ok<CostRule>, ProblemHttpResult>> Remove(long ruleId, string? shop, CostRules rules, IPublishEndpoint bus,
        IOptions<MartsOptions> marts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        if (await rules.Remove(domain, ruleId, cancellationToken) is not { } removed) return NotFound(domain, ruleId);
        await CostEndpoints.Refresh(domain, 1, removed.EffectiveFrom, bus, marts.Value, clock, cancellationToken);
        return TypedResults.Ok(removed);
    }

    private static ProblemHttpResult NotFound(string shop, long ruleId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cost rule not found", detail: $"{shop} has no cost rule {ruleId}.");

    /// <summary>The rule a body describes, checked field by field, in the shop's currency.</summary>
    private static async Task<(CostRule? Rule, ProblemHttpResult? Problem)> Bind(HttpRequest http, string shop, long ruleId,
        NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.Read<CostRuleRequest>(http, Shape);
        if (problem is not null) return (null, problem);
        if (request?.Kind is not { } kind || !CostRuleKinds.All.Contains(kind))
            return (null, Problems.InvalidParameter("kind", $"kind is one of {string.Join(", ", CostRuleKinds.All)}."));
        var name = string.IsNullOrWhiteSpace(request.Name) ? kind : request.Name.Trim();
        if (name.Length > 100) return (null, Problems.InvalidParameter("name", "name is at most 100 characters."));
        var (amount, rate) = (request.AmountMinor ?? 0, request.Rate ?? 0);
        if (amount < 0) return (null, Problems.InvalidParameter("amount_minor", "amount_minor is zero or more (minor units of the shop's currency)."));
        if (rate is < 0 or >= 1 || decimal.Round(rate, 6) != rate)
            return (null, Problems.InvalidParameter("rate", "rate is a share from 0 up to 1 (0.029 is 2.9 %), with at most 6 decimals."));
        if (CostRuleKinds.Problem(kind, amount, rate) is { } wrong) return (null, Problems.InvalidParameter(wrong.Field, wrong.Detail));
        if (request.EffectiveFrom is not { } from || from.Year is < 2000 or > 2100)
            return (null, Problems.InvalidParameter("effective_from", "effective_from is the first day (YYYY-MM-DD, from 2000 to 2100) the rule holds."));
        if (request.EffectiveTo is { } to && (to < from || to.Year > 2100))
            return (null, Problems.InvalidParameter("effective_to", "effective_to is the last day the rule holds, on or after effective_from, or null."));
        var (given, wrongCurrency) = await CostEndpoints.ShopCurrencyOf(request.CurrencyCode, dataSource, shop, cancellationToken);
        if (wrongCurrency is not null) return (null, wrongCurrency);
        return (new CostRule(ruleId, kind, name, given!, amount, rate, from, request.EffectiveTo, GatewayCaller.Of(http.HttpContext)?.Caller,
            DateTimeOffset.UtcNow), null);
    }
}
