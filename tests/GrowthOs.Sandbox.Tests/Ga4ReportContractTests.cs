using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Sandbox's GA4 Data API answers the reports Google documents, not only the Connector's: its documented requests
/// (the report basics, several date ranges, metric aggregations, ordering) held to the documented answers' shapes, their
/// figures held against one another (a split adds up to its whole, a ratio is the ratio of its sums), and GA4's refusals.
/// The demo data runs up to today, so the relative date ranges always hold traffic.
/// </summary>
public sealed class Ga4ReportContractTests : IDisposable
{
    private const string PropertyId = "314159265";
    private const string Token = "ya29.sandboxGa4ReportToken";
    private readonly SandboxHosts _sandbox = new();
    private readonly HttpClient _http;

    public Ga4ReportContractTests()
    {
        _http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:Ga4:Properties:0:Id"] = PropertyId,
            ["Sandbox:Ga4:Properties:0:AccessToken"] = Token,
            ["Sandbox:Ga4:Properties:0:Shop"] = "demo-shop.myshopify.com",
        });
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Ga4", name))).RootElement;

    private async Task<JsonElement> Report(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var answer = await _http.PostAsync($"/ga4/v1beta/properties/{PropertyId}:runReport", content);
        var report = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, report.ToString());
        return report;
    }

    private async Task<string> Refusal(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var answer = await _http.PostAsync($"/ga4/v1beta/properties/{PropertyId}:runReport", content);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        return error.GetProperty("message").GetString()!;
    }

    private static List<(string[] Dimensions, string[] Metrics)> Rows(JsonElement report, string member = "rows") =>
        report.TryGetProperty(member, out var rows)
            ? rows.EnumerateArray().Select(r => (r.GetProperty("dimensionValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()!).ToArray(),
                r.GetProperty("metricValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()!).ToArray())).ToList()
            : [];

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_basic_report_by_country_and_the_quickstarts_by_city_add_up_to_the_propertys_active_users()
    {
        // The report basics page: dimensions country, metrics activeUsers (over a range that holds the demo's traffic).
        var byCountry = await Report("""
            {"dateRanges":[{"startDate":"30daysAgo","endDate":"yesterday"}],"dimensions":[{"name":"country"}],"metrics":[{"name":"activeUsers"}]}
            """);
        JsonShape.Assert(Fixture("run_report_country.json"), byCountry);
        // The quickstart: city and activeUsers from 2020-03-31 to today.
        var byCity = await Report("""
            {"dateRanges":[{"startDate":"2020-03-31","endDate":"today"}],"dimensions":[{"name":"city"}],"metrics":[{"name":"activeUsers"}],
             "metricAggregations":["TOTAL"]}
            """);
        var whole = await Report("""{"dateRanges":[{"startDate":"2020-03-31","endDate":"today"}],"metrics":[{"name":"activeUsers"}]}""");

        Assert.Equal(5, Rows(byCountry).Count);
        var counts = Rows(byCountry).Select(r => long.Parse(r.Metrics[0])).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.Equal("United States", Rows(byCountry)[0].Dimensions[0]);
        var total = Rows(whole).Single().Metrics[0];
        Assert.Equal(total, Rows(byCity, "totals").Single().Metrics[0]);
        Assert.Equal(["RESERVED_TOTAL"], Rows(byCity, "totals").Single().Dimensions);
        Assert.Equal(long.Parse(total), Rows(byCity).Sum(r => long.Parse(r.Metrics[0])));
    }

    [Fact]
    public async Task Two_date_ranges_add_the_dateRange_dimension_and_each_range_answers_as_it_would_alone()
    {
        // The report basics page, "multiple date ranges": platform and activeUsers over two ranges.
        var both = await Report("""
            {"dateRanges":[{"startDate":"14daysAgo","endDate":"8daysAgo"},{"startDate":"7daysAgo","endDate":"yesterday","name":"last_week"}],
             "dimensions":[{"name":"platform"}],"metrics":[{"name":"activeUsers"}]}
            """);
        JsonShape.Assert(Fixture("run_report_date_ranges.json"), both);
        Assert.Equal(["platform", "dateRange"], both.GetProperty("dimensionHeaders").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        var alone = await Report("""
            {"dateRanges":[{"startDate":"7daysAgo","endDate":"yesterday"}],"dimensions":[{"name":"platform"}],"metrics":[{"name":"activeUsers"}]}
            """);

        Assert.Equal(["date_range_0", "last_week"], Rows(both).Select(r => r.Dimensions[1]).Order());
        Assert.Equal(Rows(alone).Single().Metrics[0], Rows(both).Single(r => r.Dimensions[1] == "last_week").Metrics[0]);
    }

    [Fact]
    public async Task Metric_aggregations_total_the_report_and_name_its_largest_and_smallest_rows()
    {
        // Google's sample run_report_with_aggregations.py: country and sessions with TOTAL, MAXIMUM and MINIMUM.
        var report = await Report("""
            {"dateRanges":[{"startDate":"yesterday","endDate":"today"}],"dimensions":[{"name":"country"}],"metrics":[{"name":"sessions"}],
             "metricAggregations":["TOTAL","MAXIMUM","MINIMUM"]}
            """);
        JsonShape.Assert(Fixture("run_report_aggregations.json"), report);

        var sessions = Rows(report).Select(r => long.Parse(r.Metrics[0])).ToList();
        Assert.Equal(sessions.Sum().ToString(CultureInfo.InvariantCulture), Rows(report, "totals").Single().Metrics[0]);
        Assert.Equal(["RESERVED_MAX"], Rows(report, "maximums").Single().Dimensions);
        Assert.Equal(sessions.Max().ToString(CultureInfo.InvariantCulture), Rows(report, "maximums").Single().Metrics[0]);
        Assert.Equal(sessions.Min().ToString(CultureInfo.InvariantCulture), Rows(report, "minimums").Single().Metrics[0]);
    }

    [Fact]
    public async Task Ordering_by_a_metric_and_the_ratio_metrics_hold_against_their_sums()
    {
        // Google's sample run_report_with_ordering.py: date, activeUsers, newUsers and totalRevenue by revenue, largest first.
        var ordered = await Report("""
            {"dateRanges":[{"startDate":"7daysAgo","endDate":"today"}],"dimensions":[{"name":"date"}],
             "metrics":[{"name":"activeUsers"},{"name":"newUsers"},{"name":"totalRevenue"}],"orderBys":[{"metric":{"metricName":"totalRevenue"},"desc":true}]}
            """);
        var revenue = Rows(ordered).Select(r => Number(r.Metrics[2])).ToList();
        Assert.True(revenue.Count >= 7);
        Assert.Equal(revenue.OrderDescending(), revenue);
        Assert.All(Rows(ordered), r => Assert.True(long.Parse(r.Metrics[1]) <= long.Parse(r.Metrics[0])));

        var rates = await Report("""
            {"dateRanges":[{"startDate":"28daysAgo","endDate":"yesterday"}],"dimensions":[{"name":"sessionSourceMedium"}],
             "metrics":[{"name":"sessions"},{"name":"engagedSessions"},{"name":"engagementRate"},{"name":"bounceRate"},{"name":"averageSessionDuration"}],
             "metricAggregations":["TOTAL"]}
            """);
        Assert.Equal(["TYPE_INTEGER", "TYPE_INTEGER", "TYPE_FLOAT", "TYPE_FLOAT", "TYPE_SECONDS"],
            rates.GetProperty("metricHeaders").EnumerateArray().Select(h => h.GetProperty("type").GetString()));
        Assert.Contains(Rows(rates), r => r.Dimensions[0] == "(direct) / (none)");
        Assert.Contains(Rows(rates), r => r.Dimensions[0] == "google / organic");
        foreach (var (_, metrics) in Rows(rates).Concat(Rows(rates, "totals")))
        {
            Assert.Equal(Number(metrics[1]) / Number(metrics[0]), Number(metrics[2]), 12);
            Assert.Equal(1 - Number(metrics[2]), Number(metrics[3]), 12);
        }
        Assert.Equal(Rows(rates).Sum(r => long.Parse(r.Metrics[0])), long.Parse(Rows(rates, "totals").Single().Metrics[0]));
    }

    [Fact]
    public async Task What_GA4_refuses_is_refused_in_its_words()
    {
        Assert.Equal("Requests are limited to 4 dateRanges.\n  This request contains 5 dateRanges.", await Refusal("""
            {"dateRanges":[{"startDate":"5daysAgo","endDate":"today"},{"startDate":"5daysAgo","endDate":"today"},{"startDate":"5daysAgo","endDate":"today"},
             {"startDate":"5daysAgo","endDate":"today"},{"startDate":"5daysAgo","endDate":"today"}],"metrics":[{"name":"sessions"}]}
            """));
        Assert.Equal("Metric aggregation Count is not supported in ReportRequest.", await Refusal("""
            {"dateRanges":[{"startDate":"5daysAgo","endDate":"today"}],"metrics":[{"name":"sessions"}],"metricAggregations":["COUNT"]}
            """));
        Assert.StartsWith("Field pageViews is not a valid metric.", await Refusal("""
            {"dateRanges":[{"startDate":"5daysAgo","endDate":"today"}],"metrics":[{"name":"pageViews"}]}
            """));
        Assert.Contains("date_range_", await Refusal("""
            {"dateRanges":[{"startDate":"5daysAgo","endDate":"today","name":"date_range_x"}],"metrics":[{"name":"sessions"}]}
            """));
    }

    public void Dispose() => _sandbox.Dispose();
}
