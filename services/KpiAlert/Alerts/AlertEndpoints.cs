using System.Text.Json;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.KpiAlert.Alerts;

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", List);
        app.MapGet("/api/alerts/rules", Rules);
        return app;
    }

    /// <summary>The rules alerts are raised by, with their severity and condition.</summary>
    private static Ok<AlertRuleList> Rules() =>
        TypedResults.Ok(new AlertRuleList([.. AlertRules.All.Select(r => new AlertRuleView(r.Id, r.Name, r.Severity, r.Condition))]));

    /// <summary>A shop's alerts, open ones by default, the most severe and newest first, each with the figures that raised it and its latest ones.</summary>
    private static async Task<Results<Ok<AlertList>, ProblemHttpResult>> List(string? shop, string? status, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = domain;
        var wanted = status ?? "open";
        if (wanted is not ("open" or "resolved")) return Problems.InvalidParameter("status", "status must be open or resolved.");
        var alerts = await Read(dataSource, shop, wanted, 200, cancellationToken);
        return TypedResults.Ok(new AlertList(shop, wanted, alerts));
    }

    /// <summary>Up to <paramref name="limit"/> alerts of a shop with <paramref name="status"/>, the most severe and newest first.</summary>
    public static async Task<List<AlertView>> Read(NpgsqlDataSource dataSource, string shop, string status, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT alert_id, rule, subject, severity, status, message, recommendation, raised_figures::text, latest_figures::text, raised_at, evaluated_at,
                resolved_at, data_incomplete::text, held_back, incomplete_pipelines
            FROM kpi.alert WHERE shop_domain = @shop AND status = @status
            ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, raised_at DESC, alert_id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("limit", limit);
        var alerts = new List<AlertView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            alerts.Add(new AlertView(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                JsonDocument.Parse(reader.GetString(7)).RootElement,
                JsonDocument.Parse(reader.GetString(8)).RootElement,
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                Gaps(reader.IsDBNull(12) ? null : reader.GetString(12)),
                reader.GetBoolean(13),
                reader.GetFieldValue<string[]>(14)));
        return alerts;
    }

    /// <summary>The gaps an alert keeps as JSON (<c>[{"pipeline", "reason"}]</c>); none when its data was whole.</summary>
    private static IReadOnlyList<DataGap> Gaps(string? json) =>
        json is null
            ? []
            : [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(g => new DataGap(g.GetProperty("pipeline").GetString()!,
                g.GetProperty("reason").GetString()!))];
}
