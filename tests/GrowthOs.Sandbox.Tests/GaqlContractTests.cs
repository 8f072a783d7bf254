using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Sandbox's Google Ads API answers any GAQL query over the customer and its campaigns, not only the Connector's:
/// Google's own documented report examples (each named with its page), their sums held against the same figures read by
/// day, and Google's refusals of a query it cannot run. The demo data runs up to today, so the relative date ranges
/// always hold delivery.
/// </summary>
public sealed class GaqlContractTests : IDisposable
{
    private const string CustomerId = "4815162342";
    private const string Token = "ya29.sandboxGaqlToken";
    private readonly SandboxHosts _sandbox = new();
    private readonly HttpClient _http;

    public GaqlContractTests()
    {
        _http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:GoogleAds:Customers:0:Id"] = CustomerId,
            ["Sandbox:GoogleAds:Customers:0:AccessToken"] = Token,
            ["Sandbox:GoogleAds:Customers:0:Shop"] = "demo-shop.myshopify.com",
        });
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    private async Task<List<JsonElement>> Stream(string query)
    {
        var answer = await _http.PostAsJsonAsync($"/google-ads/v21/customers/{CustomerId}/googleAds:searchStream", new { query });
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{query}: {body}");
        return body.EnumerateArray().SelectMany(b => b.TryGetProperty("results", out var r) ? r.EnumerateArray() : []).ToList();
    }

    private async Task<(string Code, string Message)> Refusal(string query)
    {
        var answer = await _http.PostAsJsonAsync($"/google-ads/v21/customers/{CustomerId}/googleAds:searchStream", new { query });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        var failure = error.GetProperty("details")[0].GetProperty("errors")[0];
        return (failure.GetProperty("errorCode").GetProperty("queryError").GetString()!, failure.GetProperty("message").GetString()!);
    }

    private static long Int64(JsonElement row, string resource, string field) =>
        row.TryGetProperty(resource, out var part) && part.TryGetProperty(field, out var value) ? long.Parse(value.GetString()!) : 0;

    private async Task<DateOnly> Today()
    {
        var customer = Assert.Single(await Stream("SELECT customer.time_zone FROM customer"));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(customer.GetProperty("customer").GetProperty("timeZone").GetString()!);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
    }

    [Fact]
    public async Task The_query_cookbooks_campaigns_report_sums_the_last_7_days_of_each_campaign()
    {
        // developers.google.com/google-ads/api/docs/query/cookbook, "Campaigns".
        var rows = await Stream("""
            SELECT campaign.name,
              campaign_budget.amount_micros,
              campaign.status,
              campaign.optimization_score,
              campaign.advertising_channel_type,
              metrics.clicks,
              metrics.impressions,
              metrics.ctr,
              metrics.average_cpc,
              metrics.cost_micros,
              campaign.bidding_strategy_type
            FROM campaign
            WHERE segments.date DURING LAST_7_DAYS
              AND campaign.status != 'REMOVED'
            """);

        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            var campaign = row.GetProperty("campaign");
            Assert.Equal("ENABLED", campaign.GetProperty("status").GetString());
            Assert.Contains(campaign.GetProperty("advertisingChannelType").GetString(), new[] { "SEARCH", "SHOPPING", "PERFORMANCE_MAX" });
            Assert.Equal(JsonValueKind.Number, campaign.GetProperty("optimizationScore").ValueKind);
            Assert.Equal(JsonValueKind.String, row.GetProperty("campaignBudget").GetProperty("amountMicros").ValueKind);
            Assert.StartsWith($"customers/{CustomerId}/campaignBudgets/", row.GetProperty("campaignBudget").GetProperty("resourceName").GetString());
            var metrics = row.GetProperty("metrics");
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty("ctr").ValueKind);
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty("averageCpc").ValueKind);
            Assert.Equal(Int64(row, "metrics", "clicks") / (double)Int64(row, "metrics", "impressions"), metrics.GetProperty("ctr").GetDouble(), 12);
        }

        // The same figures read by day: seven days ending yesterday in the customer's zone, summed per campaign.
        var today = await Today();
        var daily = await Stream($"""
            SELECT campaign.id, campaign.name, segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks FROM campaign
            WHERE segments.date BETWEEN '{today.AddDays(-7):yyyy-MM-dd}' AND '{today.AddDays(-1):yyyy-MM-dd}'
            """);
        Assert.Equal(7, daily.Select(r => r.GetProperty("segments").GetProperty("date").GetString()).Distinct().Count());
        foreach (var row in rows)
        {
            var name = row.GetProperty("campaign").GetProperty("name").GetString();
            var days = daily.Where(r => r.GetProperty("campaign").GetProperty("name").GetString() == name).ToList();
            Assert.Equal((days.Sum(r => Int64(r, "metrics", "costMicros")), days.Sum(r => Int64(r, "metrics", "impressions"))),
                (Int64(row, "metrics", "costMicros"), Int64(row, "metrics", "impressions")));
        }
    }

    [Fact]
    public async Task The_get_campaigns_sample_lists_every_campaign_by_id_with_no_metric()
    {
        // developers.google.com/google-ads/api/samples/get-campaigns.
        var rows = await Stream("SELECT campaign.id, campaign.name FROM campaign ORDER BY campaign.id");

        var ids = rows.Select(r => long.Parse(r.GetProperty("campaign").GetProperty("id").GetString()!)).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.All(rows, r => Assert.Equal(["campaign"], r.EnumerateObject().Select(p => p.Name)));
        Assert.All(rows, r => Assert.StartsWith($"customers/{CustomerId}/campaigns/", r.GetProperty("campaign").GetProperty("resourceName").GetString()));
    }

    [Fact]
    public async Task Ordering_limiting_and_filters_on_attributes_and_metrics_hold()
    {
        // developers.google.com/google-ads/api/docs/query/ordering-limiting.
        var top = await Stream(
            "SELECT campaign.id, campaign.name, metrics.impressions FROM campaign WHERE segments.date DURING LAST_30_DAYS "
            + "ORDER BY metrics.impressions DESC LIMIT 2");
        Assert.Equal(2, top.Count);
        var all = await Stream("SELECT campaign.id, metrics.impressions FROM campaign WHERE segments.date DURING LAST_30_DAYS");
        Assert.Equal(all.Select(r => Int64(r, "metrics", "impressions")).OrderDescending().Take(2), top.Select(r => Int64(r, "metrics", "impressions")));

        var search = await Stream(
            "select campaign.name, metrics.clicks from campaign where segments.date during LAST_14_DAYS and campaign.name like 'Search%' "
            + "and metrics.clicks > 0 and campaign.advertising_channel_type in ('SEARCH', 'SHOPPING')");
        Assert.Equal(["Search - Brand", "Search - Generic Tools"], search.Select(r => r.GetProperty("campaign").GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task The_reporting_example_splits_each_campaign_over_devices_without_losing_a_micro()
    {
        // developers.google.com/google-ads/api/docs/reporting/example.
        var byDevice = await Stream(
            "SELECT campaign.name, campaign.status, segments.device, metrics.impressions, metrics.clicks, metrics.ctr, metrics.average_cpc, "
            + "metrics.cost_micros FROM campaign WHERE segments.date DURING LAST_30_DAYS");
        var whole = await Stream("SELECT campaign.name, metrics.impressions, metrics.clicks, metrics.cost_micros FROM campaign "
                                 + "WHERE segments.date DURING LAST_30_DAYS");

        Assert.Equal(12, byDevice.Count);
        Assert.Equal(["DESKTOP", "MOBILE", "TABLET"], byDevice.Select(r => r.GetProperty("segments").GetProperty("device").GetString()).Distinct().Order());
        foreach (var campaign in whole)
        {
            var name = campaign.GetProperty("campaign").GetProperty("name").GetString();
            var parts = byDevice.Where(r => r.GetProperty("campaign").GetProperty("name").GetString() == name).ToList();
            Assert.Equal(
                (Int64(campaign, "metrics", "costMicros"), Int64(campaign, "metrics", "impressions"), Int64(campaign, "metrics", "clicks")),
                (parts.Sum(r => Int64(r, "metrics", "costMicros")), parts.Sum(r => Int64(r, "metrics", "impressions")),
                    parts.Sum(r => Int64(r, "metrics", "clicks"))));
        }
        var mobile = await Stream("SELECT campaign.name, metrics.clicks FROM campaign WHERE segments.date DURING LAST_30_DAYS AND segments.device = 'MOBILE'");
        Assert.Equal(byDevice.Where(r => r.GetProperty("segments").GetProperty("device").GetString() == "MOBILE").Sum(r => Int64(r, "metrics", "clicks")),
            mobile.Sum(r => Int64(r, "metrics", "clicks")));
    }

    [Fact]
    public async Task Search_answers_a_page_with_the_total_asked_for_and_refuses_a_page_size()
    {
        var answer = await _http.PostAsJsonAsync($"/google-ads/v21/customers/{CustomerId}/googleAds:search", new
        {
            query = "SELECT campaign.id, segments.date, metrics.clicks FROM campaign WHERE segments.date DURING LAST_30_DAYS",
            searchSettings = new { returnTotalResultsCount = true },
        });
        var page = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(page.GetProperty("results").GetArrayLength().ToString(), page.GetProperty("totalResultsCount").GetString());
        Assert.Equal("campaign.id,segments.date,metrics.clicks", page.GetProperty("fieldMask").GetString());
        Assert.False(page.TryGetProperty("nextPageToken", out _));

        var sized = await _http.PostAsJsonAsync($"/google-ads/v21/customers/{CustomerId}/googleAds:search",
            new { query = "SELECT campaign.id FROM campaign", pageSize = 100 });
        Assert.Equal(HttpStatusCode.BadRequest, sized.StatusCode);
        Assert.Contains("PAGE_SIZE_NOT_SUPPORTED", await sized.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_query_Google_cannot_run_is_refused_with_its_queryError()
    {
        Assert.Equal(("EXPECTED_FILTERS_ON_DATE_RANGE", "Expects filters on the following field to limit a finite date range: 'segments.date'."),
            await Refusal("SELECT campaign.id, segments.date, metrics.clicks FROM campaign"));
        Assert.Equal(("INVALID_VALUE_WITH_DURING_OPERATOR", "Invalid date literal supplied for DURING operator: LAST_90_DAYS."),
            await Refusal("SELECT campaign.id FROM campaign WHERE segments.date DURING LAST_90_DAYS"));
        Assert.Equal("UNRECOGNIZED_FIELD", (await Refusal("SELECT campaign.revenue FROM campaign")).Code);
        Assert.Equal("PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE", (await Refusal("SELECT campaign.name FROM customer")).Code);
        Assert.Equal("BAD_RESOURCE_TYPE_IN_FROM_CLAUSE", (await Refusal("SELECT ad_group.id FROM ad_group")).Code);
        Assert.Equal("UNEXPECTED_END_OF_QUERY", (await Refusal("SELECT campaign.id FROM")).Code);
        Assert.Equal("UNEXPECTED_INPUT", (await Refusal("SELECT campaign.id FROM campaign WHERE campaign.id = 1 OR campaign.id = 2")).Code);
    }

    public void Dispose() => _sandbox.Dispose();
}
