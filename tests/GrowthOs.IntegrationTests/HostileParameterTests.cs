using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// Every route's parameters (query parameters, and the fields of the JSON bodies the write routes take), each given
/// every value of a table of hostile ones through the gateway: the answer is a 4xx problem body naming the parameter,
/// never a 500. (The audit log's are the gateway tests'.)
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileParameterTests(RunningSystem system)
{
    private static readonly string[] Hostile =
    [
        "-1", "2147483648", "9223372036854775808", "9999-12-31", "0001-01-01", "日本語-ショップ", "' OR 1=1; DROP TABLE x; --", new string('x', 10_240),
    ];

    /// <summary>Each route with a valid value of every parameter it needs, and the parameters to make hostile.</summary>
    private static readonly (string Path, string Valid, string[] Parameters)[] Routes =
    [
        ("POST /api/ingest/replay", $"shop={RunningSystem.HostileShop}", ["shop", "entity", "source"]),
        ("POST /api/etl/run", $"shop={RunningSystem.HostileShop}", ["shop", "pipeline", "from", "to", "date"]),
        ("/api/ingest/runs", "", ["shop", "status", "page", "pageSize"]),
        ("/orders", "", ["shop", "from", "to", "status", "page", "pageSize", "after"]),
        ("/api/dashboard/sales-pulse", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to"]),
        ("/api/dashboard/inventory-alerts", $"shop={RunningSystem.KpiShop}", ["shop", "status"]),
        ("/api/dashboard/inventory-fulfillment", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to", "late_hours"]),
        ("/api/dashboard/customer-segments", $"shop={RunningSystem.KpiShop}", ["shop"]),
        ("/api/dashboard/marketing", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to"]),
        ("/api/marketing/campaigns", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to"]),
        ("/api/marketing/email", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to"]),
        ("/api/etl/status", $"shop={RunningSystem.KpiShop}", ["shop", "slow_ms"]),
        ("/api/profit", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to"]),
        // channel and product are filters any word or id may be: one that matches nothing answers no cohort.
        ("/api/cohorts", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to", "by"]),
        ("/api/costs/rules", $"shop={RunningSystem.KpiShop}", ["shop"]),
        ("/api/etl/data-quality", $"shop={RunningSystem.KpiShop}", ["shop"]),
        ("/api/kpis", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to"]),
        ("/api/alerts", $"shop={RunningSystem.KpiShop}", ["shop", "status"]),
        ("/analytics/commerce/overview", $"shop={RunningSystem.KpiShop}", ["shop", "days", "from", "to", "limit"]),
        ("/analytics/pipelines", $"shop={RunningSystem.KpiShop}", ["shop"]),
        ("/api/connections", "", ["shop", "include"]),
        ("/api/connections/shopify/install", "", ["shop"]),
        ("/api/ingest/schedules", "", ["shop"]),
    ];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var (path, _, parameters) in Routes)
            foreach (var parameter in parameters) cases.Add(path, parameter);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_value_of_a_parameter_gets_a_4xx_problem_naming_it(string path, string parameter)
    {
        using var http = system.GatewayClient();
        var valid = Routes.Single(r => r.Path == path).Valid.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !pair.StartsWith(parameter + "=", StringComparison.Ordinal));
        var failures = new List<string>();
        foreach (var value in Hostile)
        {
            var query = string.Join('&', valid.Append($"{parameter}={Uri.EscapeDataString(value)}"));
            var response = path.StartsWith("POST ", StringComparison.Ordinal)
                ? await http.PostAsync($"{path[5..]}?{query}", null)
                : await http.GetAsync($"{path}?{query}");
            var body = await response.Content.ReadAsStringAsync();
            var shown = value.Length > 40 ? value[..40] + "…" : value;
            if ((int)response.StatusCode is < 400 or >= 500)
                failures.Add($"{parameter}={shown}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{parameter}={shown}: {(int)response.StatusCode} is not a problem body");
            else if (JsonDocument.Parse(body).RootElement.TryGetProperty("parameter", out var named) ? named.GetString() != parameter
                     : response.StatusCode != HttpStatusCode.NotFound)
                failures.Add($"{parameter}={shown}: {(int)response.StatusCode} does not name {parameter}: {body[..Math.Min(body.Length, 200)]}");
        }
        Assert.True(failures.Count == 0, $"{path}:\n{string.Join('\n', failures)}");
    }

    [Theory]
    [InlineData("/api/ingest/runs/")]
    [InlineData("/api/ingest/runs/{0}/evidence")]
    [InlineData("/analytics/runs/{0}/evidence")]
    [InlineData("/api/etl/loads/")]
    [InlineData("/orders/")]
    public async Task A_hostile_id_in_a_path_gets_a_4xx_problem(string path)
    {
        using var http = system.GatewayClient();
        foreach (var value in Hostile.Where(v => v.Length < 1000))
        {
            var url = path.Contains("{0}") ? string.Format(path, Uri.EscapeDataString(value)) : path + Uri.EscapeDataString(value);
            var response = await http.GetAsync(url.Contains("/orders/") ? url + $"?shop={RunningSystem.KpiShop}" : url);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>
    /// The write routes' JSON bodies: each with valid values of the fields it needs, the fields to make hostile, and for
    /// each field the hostile values it rightly takes (an idempotency key may be any printable word).
    /// </summary>
    private static readonly (string Path, Dictionary<string, object> Valid, (string Field, bool List, string[] Takes)[] Fields)[] Bodies =
    [
        ("/api/performance-metrics/sync", new() { ["shop"] = RunningSystem.HostileShop, ["entities"] = new[] { "orders" } },
            [("shop", false, []), ("initiator", false, []), ("entities", true, []), ("requested_at", false, []),
             ("run_id", false, ["-1", "2147483648", "9223372036854775808", "9999-12-31", "0001-01-01"])]),
        ("/api/ingest/backfill", new() { ["shop"] = RunningSystem.HostileShop, ["from"] = "2026-01-01", ["to"] = "2026-01-31" },
            [("shop", false, []), ("from", false, []), ("to", false, [])]),
        ("/api/marketing/sync", new() { ["shop"] = RunningSystem.HostileShop, ["sources"] = new[] { "meta" } },
            [("shop", false, []), ("sources", true, [])]),
        ("/api/marketing/sync", new() { ["shop"] = RunningSystem.HostileShop, ["from"] = "2026-01-01", ["to"] = "2026-01-31" },
            [("from", false, []), ("to", false, [])]),
        ($"/api/ingest/replay?shop={RunningSystem.HostileShop}", new(), [("archiveKey", false, [])]),
        ($"/api/ingest/replay?shop={RunningSystem.HostileShop}&source=meta", new(), [("archiveKey", false, [])]),
        // A shop Shopify does not know: a token that is well formed is refused by Shopify itself (422, naming it).
        ("/api/connections", new() { ["shop"] = "hostile-connect.myshopify.com", ["access_token"] = "shpat_hostile_0123" },
            [("shop", false, []), ("provider", false, []), ("access_token", false, []), ("cron", false, []), ("entities", true, []),
             ("history_start", false, []), ("lookback_minutes", false, [])]),
    ];

    public static TheoryData<int, string> BodyCases()
    {
        var cases = new TheoryData<int, string>();
        for (var i = 0; i < Bodies.Length; i++)
            foreach (var (field, _, _) in Bodies[i].Fields) cases.Add(i, field);
        return cases;
    }

    /// <summary>A hostile value in JSON: as a string, and as a number where it is one, and inside a list for a list field.</summary>
    private static IEnumerable<(string Shown, object Json)> HostileJson(bool list, string[] takes)
    {
        foreach (var value in Hostile.Where(v => !takes.Contains(v)))
        {
            var shown = value.Length > 40 ? value[..40] + "…" : value;
            yield return ($"\"{shown}\"", value);
            if (list) yield return ($"[\"{shown}\"]", new[] { value });
            if (decimal.TryParse(value, out var number)) yield return (shown, number);
        }
        yield return ("{}", new Dictionary<string, object>());
        yield return ("true", true);
    }

    [Theory]
    [MemberData(nameof(BodyCases))]
    public async Task A_hostile_value_of_a_body_field_gets_a_4xx_problem_naming_it(int route, string field)
    {
        using var http = system.GatewayClient();
        var (path, valid, fields) = Bodies[route];
        var (_, list, takes) = fields.Single(f => f.Field == field);
        var failures = new List<string>();
        foreach (var (shown, value) in HostileJson(list, takes))
        {
            var body = new Dictionary<string, object>(valid) { [field] = value };
            var response = await http.PostAsJsonAsync(path, body);
            var answer = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is < 400 or >= 500)
                failures.Add($"{field}={shown}: {(int)response.StatusCode} {answer[..Math.Min(answer.Length, 200)]}");
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{field}={shown}: {(int)response.StatusCode} is not a problem body");
            else if (!JsonDocument.Parse(answer).RootElement.TryGetProperty("parameter", out var named) || named.GetString() != field)
                failures.Add($"{field}={shown}: {(int)response.StatusCode} does not name {field}: {answer[..Math.Min(answer.Length, 200)]}");
        }
        Assert.True(failures.Count == 0, $"{path}:\n{string.Join('\n', failures)}");
    }

    [Theory]
    [InlineData("/api/performance-metrics/sync")]
    [InlineData("/api/ingest/backfill")]
    [InlineData("/api/marketing/sync")]
    [InlineData("/api/connections")]
    public async Task A_body_that_is_not_json_gets_a_400_problem_naming_the_body(string path)
    {
        using var http = system.GatewayClient();
        foreach (var text in new[] { "{", "[1,2", "not json", "\"a string\"", "{\"shop\": }" })
        {
            var response = await http.PostAsync(path, new StringContent(text, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("parameter").GetString() is "body" or "shop", $"{path} {text}: {problem}");
        }
    }
}
