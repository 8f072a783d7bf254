extern alias connector;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using connector::GrowthOs.Connector.Klaviyo;
using connector::GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Connector's Klaviyo client against the Sandbox's Klaviyo API over HTTP: the pages of a fetch in the order the
/// marts read them, the figures the reports give against the demo's own, the transactional e-mails, the planted stop,
/// and Klaviyo's refusals and limits; the Sandbox's answers held to the shapes of Klaviyo's specification.
/// </summary>
public sealed class KlaviyoContractTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string Key = "pk_sandboxKlaviyoContractKey";
    private static readonly DateOnly Anchor = new(2026, 11, 30);
    private readonly SandboxHosts _sandbox = new();

    private (KlaviyoClient Client, HttpClient Http) Connect(string? failure = null, int reportsPerMinute = 100, string key = Key, int maxInlineWait = 60)
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:AnchorDate"] = Anchor.ToString("yyyy-MM-dd"),
            ["Sandbox:Klaviyo:ReportsPerMinute"] = reportsPerMinute.ToString(),
            ["Sandbox:Klaviyo:Accounts:0:Id"] = "Wk5hOp",
            ["Sandbox:Klaviyo:Accounts:0:PrivateKey"] = Key,
            ["Sandbox:Klaviyo:Accounts:0:Shop"] = Shop,
            ["Sandbox:Klaviyo:Accounts:0:TimeZone"] = "America/Chicago",
            ["Sandbox:Klaviyo:Accounts:0:Failures:0"] = failure,
        });
        var options = Options.Create(new KlaviyoOptions
        {
            BaseUrl = new Uri(http.BaseAddress!, "/klaviyo").ToString(), Accounts = [new KlaviyoAccount { Shop = Shop, PrivateKey = key }],
            MaxInlineWaitSeconds = maxInlineWait,
        });
        return (new KlaviyoClient(http, options, TimeProvider.System, NullLogger<KlaviyoClient>.Instance), http);
    }

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Klaviyo", name))).RootElement;

    private static async Task<List<MarketingPage>> All(KlaviyoClient client, DateOnly since, DateOnly until)
    {
        var pages = new List<MarketingPage>();
        await foreach (var page in client.Fetch(Shop, since, until, CancellationToken.None)) pages.Add(page);
        return pages;
    }

    private static JsonElement Body(MarketingPage page) => JsonDocument.Parse(page.Body).RootElement;

    [Fact]
    public async Task A_fetch_reads_the_account_metrics_flows_campaigns_and_the_reports_each_page_as_it_came()
    {
        var (client, _) = Connect();
        var since = Anchor.AddDays(-89);
        var pages = await All(client, since, Anchor);

        Assert.Equal(["accounts", "metrics", "flows"], pages.Take(3).Select(p => p.Endpoint));
        // Three flows: each its actions (a delay between e-mails) and each send action's message.
        Assert.Equal(3, pages.Count(p => p.Endpoint == "flow-actions"));
        Assert.Equal(8, pages.Count(p => p.Endpoint == "flow-messages"));
        var transactional = pages.Where(p => p.Endpoint == "flow-actions").SelectMany(p => Body(p).GetProperty("data").EnumerateArray())
            .Where(a => a.GetProperty("attributes").TryGetProperty("send_options", out var send) && send.GetProperty("is_transactional").GetBoolean())
            .Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Equal(["PpA001", "PpA002"], transactional);
        // Campaigns come in pages of ten through links.next.
        var campaigns = pages.Where(p => p.Endpoint == "campaigns").ToList();
        Assert.True(campaigns.Count > 1);
        Assert.All(pages, p => Assert.DoesNotContain(Key, p.Request));

        // 90 days: two daily series (60 + 30 days) and one values report.
        var series = pages.Where(p => p.Endpoint == "flow-series-report").ToList();
        Assert.Equal([(since, since.AddDays(59)), (since.AddDays(60), Anchor)], series.Select(p => (p.Since, p.Until)));
        var last = Body(series[1]).GetProperty("data").GetProperty("attributes");
        Assert.Equal(30, last.GetProperty("date_times").GetArrayLength());
        Assert.StartsWith(Anchor.AddDays(-29).ToString("yyyy-MM-dd") + "T00:00:00-0", last.GetProperty("date_times")[0].GetString());
        var results = last.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(8, results.Count);
        foreach (var result in results)
        {
            var statistics = result.GetProperty("statistics");
            var recipients = statistics.GetProperty("recipients").EnumerateArray().Select(v => v.GetInt64()).ToList();
            var delivered = statistics.GetProperty("delivered").EnumerateArray().Select(v => v.GetInt64()).ToList();
            var bounced = statistics.GetProperty("bounced").EnumerateArray().Select(v => v.GetInt64()).ToList();
            Assert.Equal(recipients, delivered.Zip(bounced, (d, b) => d + b));
            // The abandoned-cart flow stops sending for the last two days, for the alert rules to find.
            if (result.GetProperty("groupings").GetProperty("flow_id").GetString() == "AbCart") Assert.Equal([0L, 0L], recipients.TakeLast(2));
            else Assert.True(recipients.TakeLast(2).All(r => r > 0));
        }
        var values = Body(Assert.Single(pages, p => p.Endpoint == "campaign-values-report"));
        var thursdays = Enumerable.Range(0, 90).Select(since.AddDays).Count(d => d.DayOfWeek == DayOfWeek.Thursday);
        Assert.Equal(thursdays, values.GetProperty("data").GetProperty("attributes").GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task The_specifications_report_examples_are_answered_in_their_shape()
    {
        var (_, http) = Connect();
        async Task<JsonElement> Post(string type, object attributes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/klaviyo/api/{type}s/");
            request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {Key}");
            request.Headers.TryAddWithoutValidation("revision", "2025-07-15");
            request.Content = JsonContent.Create(new { data = new { type, attributes } });
            var answer = await http.SendAsync(request);
            var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
            await Task.Delay(1_100);
            return body;
        }

        // The specification's examples: opens and open_rate, by flow e-mail and day over a week, and by campaign over the last 30 days.
        var series = await Post("flow-series-report", new
        {
            statistics = new[] { "opens", "open_rate" }, interval = "daily", conversion_metric_id = "RESQ6t",
            timeframe = new { start = $"{Anchor.AddDays(-6):yyyy-MM-dd}T00:00:00+00:00", end = $"{Anchor.AddDays(1):yyyy-MM-dd}T00:00:00+00:00" },
        });
        JsonShape.Assert(Fixture("flow_series_report.json"), series);
        Assert.Equal(7, series.GetProperty("data").GetProperty("attributes").GetProperty("date_times").GetArrayLength());
        var values = await Post("campaign-values-report", new
        {
            statistics = new[] { "opens", "open_rate" }, conversion_metric_id = "RESQ6t",
            timeframe = new { start = $"{Anchor.AddDays(-29):yyyy-MM-dd}T00:00:00+00:00", end = $"{Anchor.AddDays(1):yyyy-MM-dd}T00:00:00+00:00" },
            filter = "contains-any(send_channel,[\"email\",\"sms\"])",
        });
        JsonShape.Assert(Fixture("campaign_values_report.json"), values);
        Assert.All(values.GetProperty("data").GetProperty("attributes").GetProperty("results").EnumerateArray(),
            r => Assert.InRange(r.GetProperty("statistics").GetProperty("open_rate").GetDouble(), 0.1, 0.9));
    }

    [Fact]
    public async Task The_account_answers_in_Klaviyos_shape_and_a_key_is_checked_by_it()
    {
        var (client, http) = Connect();
        var (id, _, zone, currency) = await client.ReadAccount(Key, CancellationToken.None);
        Assert.Equal(("Wk5hOp", "America/Chicago", "USD"), (id, zone, currency));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/klaviyo/api/accounts/");
        request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {Key}");
        request.Headers.TryAddWithoutValidation("revision", "2025-07-15");
        JsonShape.Assert(Fixture("accounts.json"), await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>());

        var wrong = await Assert.ThrowsAsync<MarketingApiException>(() => client.ReadAccount("pk_notOurs", CancellationToken.None));
        Assert.Equal(("authentication_failed", false), (wrong.Code, wrong.Transient));
        var missing = await http.GetAsync("/klaviyo/api/accounts/");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        JsonShape.Assert(Fixture("not_authenticated.json"), await missing.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task A_call_without_a_revision_or_a_campaign_list_without_its_channel_filter_is_refused_in_Klaviyos_words()
    {
        var (_, http) = Connect();
        async Task<(HttpStatusCode, JsonElement)> Get(string path, string? revision)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {Key}");
            if (revision is not null) request.Headers.TryAddWithoutValidation("revision", revision);
            var answer = await http.SendAsync(request);
            return (answer.StatusCode, await answer.Content.ReadFromJsonAsync<JsonElement>());
        }

        var (status, noRevision) = await Get("/klaviyo/api/flows/", null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonShape.Assert(Fixture("invalid_include.json"), noRevision);
        Assert.Equal("revision", noRevision.GetProperty("errors")[0].GetProperty("source").GetProperty("parameter").GetString());
        var (filterStatus, noFilter) = await Get("/klaviyo/api/campaigns/", "2025-07-15");
        Assert.Equal(HttpStatusCode.BadRequest, filterStatus);
        Assert.Contains("equals(messages.channel,'email')", noFilter.GetProperty("errors")[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_reporting_limit_defers_the_fetch_with_Klaviyos_Retry_After_and_a_short_wait_is_slept_through()
    {
        // One report a minute: the second report of a fetch waits for the next minute, longer than this client sleeps.
        var (client, http) = Connect(reportsPerMinute: 1, maxInlineWait: 0);
        var deferred = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Anchor.AddDays(-89), Anchor));
        Assert.Equal(("throttled", true), (deferred.Code, deferred.Transient));
        Assert.InRange(deferred.RetryAfter!.Value.TotalSeconds, 1, 60);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/klaviyo/api/flow-series-reports/");
        request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {Key}");
        request.Headers.TryAddWithoutValidation("revision", "2025-07-15");
        request.Content = JsonContent.Create(new { data = new { type = "flow-series-report", attributes = new { statistics = new[] { "recipients" } } } });
        var throttled = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        JsonShape.Assert(Fixture("throttled.json"), await throttled.Content.ReadFromJsonAsync<JsonElement>());

        // Throttled twice a second apart, as a burst is: the client waits the second and goes on.
        var (patient, _) = Connect(failure: "THROTTLED:2");
        Assert.NotEmpty(await All(patient, Anchor.AddDays(-6), Anchor));
    }

    public void Dispose() => _sandbox.Dispose();
}
