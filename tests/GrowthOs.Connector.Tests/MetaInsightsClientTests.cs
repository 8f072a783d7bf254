using System.Net;
using System.Text;
using GrowthOs.Connector.Connections;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Meta;
using GrowthOs.Contracts.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>The Meta client held to answers in the shapes Meta documents and public connectors captured (Fixtures/Meta, SOURCES.md).</summary>
public sealed class MetaInsightsClientTests
{
    private const string Shop = "contract-shop.myshopify.com";
    private const string AccountId = "798085168510957";
    private const string Token = "EAAGsecretMetaTokenThatMustNotLeak";
    private static readonly DateOnly Day = new(2023, 6, 1);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Meta", name));

    private static (MetaInsightsClient Client, ScriptedHandler Handler) Client(params (HttpStatusCode Status, string Body, string? Usage)[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var options = Options.Create(new MetaOptions
        {
            BaseUrl = "https://graph.facebook.com",
            ReportPollSeconds = 1,
            Accounts = [new MetaAccount { Shop = Shop, AdAccountId = AccountId, AccessToken = Token }],
        });
        return (new MetaInsightsClient(new HttpClient(handler), options, new MetaPacer(options, TimeProvider.System), TimeProvider.System,
            NullLogger<MetaInsightsClient>.Instance), handler);
    }

    [Fact]
    public async Task An_ad_account_being_connected_is_checked_with_its_own_token_and_keeps_what_meta_says_of_it()
    {
        async Task<CheckResult> Check(HttpStatusCode status, string body)
        {
            var (client, handler) = Client((status, body, null));
            var checks = new ConnectionChecks(null!, client);
            var result = await checks.Check(ConnectionProviders.Meta, AccountId,
                new Credentials("EAAGtheTokenBeingConnected"), CancellationToken.None, Shop);
            var request = Assert.Single(handler.Requests);
            Assert.Equal($"/v23.0/act_{AccountId}", request.Uri.AbsolutePath);
            Assert.Contains("fields=name,currency,timezone_name,account_status", request.Uri.Query);
            Assert.Equal("Bearer EAAGtheTokenBeingConnected", request.Authorization);
            return result;
        }

        var active = await Check(HttpStatusCode.OK, Fixture("ad_account.json"));
        Assert.Equal(("active", "Contract Shop ads", "USD", "America/Los_Angeles", "ACTIVE"),
            (active.Status, active.Name, active.CurrencyCode, active.TimeZone, active.AccountStatus));
        var disabled = await Check(HttpStatusCode.OK, Fixture("ad_account_disabled.json"));
        Assert.Equal("failing", disabled.Status);
        Assert.Contains("DISABLED", disabled.Reason);
        var expired = await Check(HttpStatusCode.BadRequest, Fixture("token_expired.json"));
        Assert.Equal("failing", expired.Status);
        Assert.Contains("code 190", expired.Reason);
        Assert.Equal("pending", (await Check(HttpStatusCode.ServiceUnavailable, Fixture("service_unavailable.json"))).Status);
    }

    [Fact]
    public async Task A_short_lived_token_is_exchanged_as_meta_documents_and_a_refusal_is_said_in_meta_words()
    {
        async Task<(string Token, DateTimeOffset? ExpiresAt, ScriptedHandler Handler)> Exchange(HttpStatusCode status, string body,
            string? appId = "4815162342108")
        {
            var handler = new ScriptedHandler([(status, body, null)]);
            var options = Options.Create(new MetaOptions { BaseUrl = "https://graph.facebook.com", AppId = appId, AppSecret = "the-apps-secret" });
            var client = new MetaInsightsClient(new HttpClient(handler), options, new MetaPacer(options, TimeProvider.System), TimeProvider.System,
                NullLogger<MetaInsightsClient>.Instance);
            var (token, expiresAt) = await client.ExchangeForLongLived("EAAGshortLived", CancellationToken.None);
            return (token, expiresAt, handler);
        }

        var before = DateTimeOffset.UtcNow;
        var (longLived, expires, sent) = await Exchange(HttpStatusCode.OK, Fixture("long_lived_token.json"));
        Assert.Equal("EAAGlongLivedUserAccessTokenExample", longLived);
        Assert.InRange(expires!.Value, before.AddSeconds(5183944), DateTimeOffset.UtcNow.AddSeconds(5183944));
        var request = Assert.Single(sent.Requests);
        Assert.Equal("/v23.0/oauth/access_token", request.Uri.AbsolutePath);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Uri.Query);
        Assert.Equal(("fb_exchange_token", "4815162342108", "the-apps-secret", "EAAGshortLived"),
            (query["grant_type"].ToString(), query["client_id"].ToString(), query["client_secret"].ToString(), query["fb_exchange_token"].ToString()));

        var refused = await Assert.ThrowsAsync<MarketingApiException>(() => Exchange(HttpStatusCode.BadRequest, Fixture("client_secret_refused.json")));
        Assert.Contains("Error validating client secret.", refused.Message);
        Assert.DoesNotContain("the-apps-secret", refused.Message);
        var unconfigured = await Assert.ThrowsAsync<MarketingApiException>(() => Exchange(HttpStatusCode.OK, Fixture("long_lived_token.json"), appId: null));
        Assert.Equal("NOT_CONFIGURED", unconfigured.Code);
    }

    private static async Task<List<MarketingPage>> All(MetaInsightsClient client, DateOnly since, DateOnly until)
    {
        var pages = new List<MarketingPage>();
        await foreach (var page in client.Fetch(Shop, since, until, CancellationToken.None)) pages.Add(page);
        return pages;
    }

    private static string Usage(int percent, int regainMinutes) =>
        $$"""{"{{AccountId}}":[{"type":"ads_insights","call_count":{{percent}},"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":"""
        + $$"""{{regainMinutes}}}],"999":"""
        + $$"""[{"type":"ads_insights","call_count":100,"total_cputime":100,"total_time":100,"estimated_time_to_regain_access":60}]}""";

    [Fact]
    public async Task Paging_follows_next_with_the_token_in_the_header_only_and_stops_where_next_is_absent()
    {
        var (client, handler) = Client((HttpStatusCode.OK, Fixture("insights_page.json"), null), (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        var pages = await All(client, Day, Day);

        Assert.Equal([1, 0], pages.Select(p => p.Rows));
        Assert.Equal(2, handler.Requests.Count);
        var first = handler.Requests[0];
        Assert.Equal($"/v23.0/act_{AccountId}/insights", first.Uri.AbsolutePath);
        Assert.Contains("level=campaign", first.Uri.Query);
        Assert.Contains("time_increment=1", first.Uri.Query);
        Assert.Contains(Uri.EscapeDataString("{\"since\":\"2023-06-01\",\"until\":\"2023-06-01\"}"), first.Uri.Query);
        Assert.All(handler.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
        // Meta's next link carried an access_token parameter: it is not sent, logged or archived.
        Assert.All(handler.Requests, r => Assert.DoesNotContain("access_token", r.Uri.Query));
        Assert.Contains("after=NzIZD", handler.Requests[1].Uri.Query);
        Assert.All(pages, p => Assert.DoesNotContain("EAAG", p.Request));
        Assert.Equal(Fixture("insights_page.json"), pages[0].Body);
    }

    [Fact]
    public async Task Throttling_is_transient_and_waits_as_long_as_Meta_says_for_this_ad_account()
    {
        var (client, _) = Client((HttpStatusCode.BadRequest, Fixture("rate_limited_80000.json"), Usage(100, 7)));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
        Assert.Equal(("80000", true), (exception.Code, exception.Transient));
        Assert.Equal(TimeSpan.FromMinutes(7), exception.RetryAfter);
    }

    [Fact]
    public async Task An_expired_token_is_a_clear_permanent_error()
    {
        var (client, _) = Client((HttpStatusCode.BadRequest, Fixture("token_expired.json"), null));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
        Assert.Equal(("190", false), (exception.Code, exception.Transient));
        Assert.Contains("invalid or has expired", exception.Message);
        Assert.Contains("190/463", exception.Message);
        Assert.DoesNotContain(Token, exception.Message);
    }

    [Fact]
    public async Task Too_much_data_splits_the_range_in_two()
    {
        var (client, handler) = Client(
            (HttpStatusCode.InternalServerError, Fixture("reduce_data.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        var pages = await All(client, Day, Day.AddDays(1));

        Assert.Equal([(Day, Day), (Day.AddDays(1), Day.AddDays(1))], pages.Select(p => (p.Since, p.Until)));
        Assert.Contains(Uri.EscapeDataString("\"until\":\"2023-06-01\""), handler.Requests[1].Uri.Query);
        Assert.Contains(Uri.EscapeDataString("\"since\":\"2023-06-02\""), handler.Requests[2].Uri.Query);
    }

    [Fact]
    public async Task A_transient_error_says_so()
    {
        var (client, _) = Client((HttpStatusCode.BadRequest, Fixture("service_unavailable.json"), null));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
        Assert.Equal(("2", true), (exception.Code, exception.Transient));
    }

    [Fact]
    public async Task A_long_range_starts_a_report_polls_it_and_reads_its_insights()
    {
        var (client, handler) = Client(
            (HttpStatusCode.OK, """{"report_run_id":"1128003977936306"}""", null),
            (HttpStatusCode.OK, Fixture("report_run_completed.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        var pages = await All(client, Day, Day.AddDays(59));

        Assert.Single(pages);
        Assert.Equal(HttpMethod.Post, handler.Requests[0].Method);
        Assert.Equal("/v23.0/1128003977936306", handler.Requests[1].Uri.AbsolutePath);
        Assert.Equal("/v23.0/1128003977936306/insights", handler.Requests[2].Uri.AbsolutePath);
    }

    [Fact]
    public async Task A_report_run_id_written_as_a_number_as_Meta_documents_it_is_read()
    {
        // Meta's Insights API reference, "Asynchronous Jobs": POST /act_<AD_ACCOUNT_ID>/insights answers {"report_run_id": 6023920149050}.
        var (client, handler) = Client(
            (HttpStatusCode.OK, """{"report_run_id": 6023920149050}""", null),
            (HttpStatusCode.OK, Fixture("report_run_completed.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        Assert.Single(await All(client, Day, Day.AddDays(59)));
        Assert.Equal("/v23.0/6023920149050", handler.Requests[1].Uri.AbsolutePath);
    }

    [Theory]
    [InlineData("https://graph.facebook.com.evil.example/v23.0/act_1/insights?after=x")]
    [InlineData("http://graph.facebook.com/v23.0/act_1/insights?after=x")]
    [InlineData("https://graph.facebook.com:8443/v23.0/act_1/insights?after=x")]
    [InlineData("/v23.0/act_1/insights?after=x")]
    public async Task A_next_link_off_Metas_origin_is_not_followed_and_the_token_goes_nowhere_else(string next)
    {
        var page = $$$"""{"data":[],"paging":{"cursors":{"before":"a","after":"b"},"next":"{{{next}}}"}}""";
        var (client, handler) = Client((HttpStatusCode.OK, page, null), (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
        Assert.Equal(("MALFORMED_RESPONSE", false), (exception.Code, exception.Transient));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void Usage_is_read_for_the_ad_account_asked_about_only()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("X-Business-Use-Case-Usage", Usage(42, 0));
        response.Headers.Add("X-App-Usage", """{"call_count":28,"total_time":25,"total_cputime":25}""");
        var usage = MetaUsage.From(response, AccountId);
        Assert.Equal(42, usage.Percent);
        Assert.Equal(TimeSpan.Zero, usage.RegainAccessIn);
    }

    [Fact]
    public async Task A_report_at_100_percent_still_running_is_polled_again_before_its_insights_are_read()
    {
        var (client, handler) = Client(
            (HttpStatusCode.OK, Fixture("report_run_started.json"), null),
            (HttpStatusCode.OK, Fixture("report_run_running_100.json"), null),
            (HttpStatusCode.OK, Fixture("report_run_completed.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        Assert.Single(await All(client, Day, Day.AddDays(59)));
        Assert.Equal(["/v23.0/act_" + AccountId + "/insights", "/v23.0/6023920149050", "/v23.0/6023920149050", "/v23.0/6023920149050/insights"],
            handler.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Fact]
    public async Task A_report_read_too_early_is_a_transient_refusal()
    {
        var (client, _) = Client(
            (HttpStatusCode.OK, Fixture("report_run_started.json"), null),
            (HttpStatusCode.OK, Fixture("report_run_completed.json"), null),
            (HttpStatusCode.BadRequest, Fixture("report_not_ready.json"), null));

        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day.AddDays(59)));
        Assert.Equal(("2601", true), (exception.Code, exception.Transient));
    }

    [Fact]
    public async Task Too_much_data_for_a_report_splits_its_range_and_the_data_per_call_limit_is_taken_alike()
    {
        var (client, handler) = Client(
            (HttpStatusCode.InternalServerError, Fixture("reduce_data.json"), null),
            (HttpStatusCode.BadRequest, Fixture("data_per_call_limit.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        // 60 days: the report is refused, so each half of 30 days is read synchronously; the first half is refused again and split.
        var pages = await All(client, Day, Day.AddDays(59));

        Assert.Equal(HttpMethod.Post, handler.Requests[0].Method);
        Assert.All(handler.Requests.Skip(1), r => Assert.Equal(HttpMethod.Get, r.Method));
        Assert.Equal([(Day, Day.AddDays(14)), (Day.AddDays(15), Day.AddDays(29)), (Day.AddDays(30), Day.AddDays(59))],
            pages.Select(p => (p.Since, p.Until)));
    }

    [Fact]
    public async Task A_later_page_refused_as_too_much_data_is_asked_for_again_with_half_the_limit()
    {
        var (client, handler) = Client(
            (HttpStatusCode.OK, Fixture("insights_page.json"), null),
            (HttpStatusCode.InternalServerError, Fixture("reduce_data.json"), null),
            (HttpStatusCode.OK, Fixture("insights_last_page.json"), null));

        var pages = await All(client, Day, Day.AddDays(1));

        Assert.Equal([1, 0], pages.Select(p => p.Rows));
        Assert.Contains("limit=25", handler.Requests[1].Uri.Query);
        Assert.Contains("limit=12", handler.Requests[2].Uri.Query);
        Assert.Contains("after=NzIZD", handler.Requests[2].Uri.Query);
    }

    [Fact]
    public void The_insights_throttle_header_counts_with_the_other_usage_headers()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        // The legacy header the Insights API still sends, with the app's and the account's share in percent.
        response.Headers.Add("X-FB-Ads-Insights-Throttle", """{"app_id_util_pct":12.5,"acc_id_util_pct":81,"ads_api_access_tier":"standard_access"}""");
        Assert.Equal(81, MetaUsage.From(response, AccountId).Percent);
    }

    private sealed record Sent(HttpMethod Method, Uri Uri, string? Authorization);

    private sealed class ScriptedHandler((HttpStatusCode Status, string Body, string? Usage)[] answers) : HttpMessageHandler
    {
        public List<Sent> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new Sent(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
            var (status, body, usage) = answers[Math.Min(Requests.Count, answers.Length) - 1];
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (usage is not null) response.Headers.Add("X-Business-Use-Case-Usage", usage);
            return Task.FromResult(response);
        }
    }
}
