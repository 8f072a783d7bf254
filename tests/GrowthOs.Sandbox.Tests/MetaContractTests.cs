extern alias connector;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using connector::GrowthOs.Connector.Marketing;
using connector::GrowthOs.Connector.Meta;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Connector's Meta client against the Sandbox's Graph API over HTTP: paging to the last page (and past a full
/// one, to the empty page Meta links), the asynchronous report, and each refusal Meta answers with.
/// </summary>
public sealed class MetaContractTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string AccountId = "1029384756";
    private const string Token = "EAAGsandboxMetaContractToken";
    private static readonly DateOnly Anchor = new(2026, 11, 30);
    private readonly SandboxHosts _sandbox = new();

    [Fact]
    public async Task A_short_lived_token_is_exchanged_for_the_accounts_long_lived_one_and_a_wrong_secret_or_token_is_refused_as_meta_refuses_it()
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:Meta:AppId"] = "4815162342108",
            ["Sandbox:Meta:AppSecret"] = "the-apps-secret",
            ["Sandbox:Meta:AdAccounts:0:Id"] = AccountId,
            ["Sandbox:Meta:AdAccounts:0:AccessToken"] = Token,
            ["Sandbox:Meta:AdAccounts:0:ShortLivedToken"] = "EAAGshortLived",
            ["Sandbox:Meta:AdAccounts:0:Shop"] = Shop,
        });
        MetaInsightsClient Client(string secret)
        {
            var options = Options.Create(
                new MetaOptions { BaseUrl = new Uri(http.BaseAddress!, "/meta").ToString(), AppId = "4815162342108", AppSecret = secret });
            return new MetaInsightsClient(http, options, new MetaPacer(options, TimeProvider.System), TimeProvider.System,
                NullLogger<MetaInsightsClient>.Instance);
        }

        var (token, expiresAt) = await Client("the-apps-secret").ExchangeForLongLived("EAAGshortLived", CancellationToken.None);
        Assert.Equal(Token, token);
        Assert.True(expiresAt > DateTimeOffset.UtcNow.AddDays(59));
        var answer = await http.GetFromJsonAsync<JsonElement>("/meta/v23.0/oauth/access_token?grant_type=fb_exchange_token&client_id=4815162342108"
                                                              + "&client_secret=the-apps-secret&fb_exchange_token=EAAGshortLived");
        JsonShape.Assert(JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Meta", "long_lived_token.json"))).RootElement,
            answer);

        var secret = await Assert.ThrowsAsync<MarketingApiException>(
            () => Client("another-apps-secret").ExchangeForLongLived("EAAGshortLived", CancellationToken.None));
        Assert.Equal(("1", "Meta refused to exchange the token (code 1: Error validating client secret.)."), (secret.Code, secret.Message));
        var unknown = await Assert.ThrowsAsync<MarketingApiException>(
            () => Client("the-apps-secret").ExchangeForLongLived("EAAGnotOurs", CancellationToken.None));
        Assert.Equal("190", unknown.Code);
    }

    [Fact]
    public async Task A_revoked_accounts_token_is_refused_as_meta_refuses_a_person_who_removed_the_app_the_client_says_so_and_a_grant_restores_it()
    {
        var (client, http) = Connect();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/sandbox/meta/ad_accounts/{AccountId}/revoke", null)).StatusCode);

        var answer = await http.GetAsync($"/meta/v23.0/act_{AccountId}?fields=name&access_token={Token}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var captured = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Meta", "token_revoked.json"))).RootElement;
        var refused = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        JsonShape.Assert(captured, refused);
        Assert.Equal((190, 458),
            (refused.GetProperty("error").GetProperty("code").GetInt32(), refused.GetProperty("error").GetProperty("error_subcode").GetInt32()));
        Assert.StartsWith("Error validating access token: The user has not authorized application",
            refused.GetProperty("error").GetProperty("message").GetString());

        var read = await Assert.ThrowsAsync<MarketingApiException>(() => client.ReadAccount(Shop, AccountId, Token, CancellationToken.None));
        Assert.False(read.Transient);
        Assert.Contains("has not authorized application", read.Message);

        // The person grants the app the account's access again: the same token is taken once more.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/sandbox/meta/ad_accounts/{AccountId}/grant", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/meta/v23.0/act_{AccountId}?fields=name&access_token={Token}")).StatusCode);
    }

    private (MetaInsightsClient Client, HttpClient Http) Connect(string? failure = null, int pageSize = 50, int asyncAfterDays = 31)
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:AnchorDate"] = Anchor.ToString("yyyy-MM-dd"),
            ["Sandbox:Meta:ReportDurationMilliseconds"] = "300",
            ["Sandbox:Meta:AdAccounts:0:Id"] = AccountId,
            ["Sandbox:Meta:AdAccounts:0:AccessToken"] = Token,
            ["Sandbox:Meta:AdAccounts:0:Shop"] = Shop,
            ["Sandbox:Meta:AdAccounts:0:Failures:0"] = failure,
        });
        var options = Options.Create(new MetaOptions
        {
            BaseUrl = new Uri(http.BaseAddress!, "/meta").ToString(),
            PageSize = pageSize,
            AsyncAfterDays = asyncAfterDays,
            ReportPollSeconds = 1,
            Accounts = [new MetaAccount { Shop = Shop, AdAccountId = AccountId, AccessToken = Token }],
        });
        var client = new MetaInsightsClient(http, options, new MetaPacer(options, TimeProvider.System), TimeProvider.System,
            NullLogger<MetaInsightsClient>.Instance);
        return (client, http);
    }

    private static async Task<List<MarketingPage>> All(MetaInsightsClient client, DateOnly since, DateOnly until)
    {
        var pages = new List<MarketingPage>();
        await foreach (var page in client.Fetch(Shop, since, until, CancellationToken.None)) pages.Add(page);
        return pages;
    }

    private static IEnumerable<JsonElement> Rows(IEnumerable<MarketingPage> pages) =>
        pages.SelectMany(p => JsonDocument.Parse(p.Body).RootElement.GetProperty("data").EnumerateArray());

    [Fact]
    public async Task Pages_are_followed_to_the_last_and_hold_one_row_per_campaign_and_day_with_numbers_as_strings()
    {
        var (client, _) = Connect(pageSize: 50);
        // 30 days × 4 campaigns = 120 rows: pages of 50, 50 and 20; the last links no next page.
        var pages = await All(client, Anchor.AddDays(-29), Anchor);

        Assert.Equal([50, 50, 20], pages.Select(p => p.Rows));
        var rows = Rows(pages).ToList();
        Assert.Equal(120, rows.Select(r => (r.GetProperty("campaign_id").GetString(), r.GetProperty("date_start").GetString())).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(JsonValueKind.String, r.GetProperty("spend").ValueKind));
        Assert.All(rows, r => Assert.Equal(r.GetProperty("date_start").GetString(), r.GetProperty("date_stop").GetString()));
        Assert.All(pages, p => Assert.DoesNotContain("access_token", p.Request));
        Assert.All(pages, p => Assert.DoesNotContain(Token, p.Request));
    }

    [Fact]
    public async Task A_full_last_page_links_an_empty_page_which_ends_the_paging()
    {
        var (client, _) = Connect(pageSize: 50);
        // 25 days × 4 = 100 rows: two full pages, then the empty page Meta's next link of a full page leads to.
        var pages = await All(client, Anchor.AddDays(-24), Anchor);
        Assert.Equal([50, 50, 0], pages.Select(p => p.Rows));
    }

    [Fact]
    public async Task A_long_range_is_read_through_an_asynchronous_report()
    {
        var (client, _) = Connect(pageSize: 200, asyncAfterDays: 31);
        var pages = await All(client, Anchor.AddDays(-89), Anchor);

        Assert.Equal(360, pages.Sum(p => p.Rows));
        Assert.All(pages, p => Assert.Matches(@"^/meta/v23\.0/\d+/insights", p.Request));
    }

    [Fact]
    public async Task A_failed_report_is_read_again_synchronously_in_shorter_ranges()
    {
        var (client, _) = Connect(failure: "ASYNC_FAILED", pageSize: 500, asyncAfterDays: 31);
        var pages = await All(client, Anchor.AddDays(-59), Anchor);

        Assert.Equal(240, pages.Sum(p => p.Rows));
        Assert.Equal(2, pages.Select(p => (p.Since, p.Until)).Distinct().Count());
        Assert.All(pages, p => Assert.Contains("/act_" + AccountId + "/insights", p.Request));
    }

    [Fact]
    public async Task Too_much_data_splits_the_range_instead_of_asking_again()
    {
        var (client, _) = Connect(failure: "TOO_MUCH_DATA:10", pageSize: 500);
        var pages = await All(client, Anchor.AddDays(-19), Anchor);

        Assert.Equal(80, pages.Sum(p => p.Rows));
        Assert.Equal([(Anchor.AddDays(-19), Anchor.AddDays(-10)), (Anchor.AddDays(-9), Anchor)], pages.Select(p => (p.Since, p.Until)));
    }

    [Fact]
    public async Task An_expired_token_fails_clearly_and_for_good_without_showing_the_token()
    {
        var (client, _) = Connect(failure: "TOKEN_EXPIRED");
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Anchor, Anchor));
        Assert.Equal(("190", false), (exception.Code, exception.Transient));
        Assert.Contains("invalid or has expired", exception.Message);
        Assert.DoesNotContain(Token, exception.Message);
    }

    [Theory]
    [InlineData("RATE_LIMIT_80000:1", "80000")]
    [InlineData("RATE_LIMIT_17:1", "17")]
    [InlineData("RATE_LIMIT_613:1", "613")]
    [InlineData("RATE_LIMIT_4:1", "4")]
    public async Task Throttling_is_transient_and_carries_the_wait_Meta_asked_for(string failure, string code)
    {
        var (client, _) = Connect(failure: failure);
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Anchor, Anchor));
        Assert.Equal((code, true), (exception.Code, exception.Transient));
        Assert.True(exception.RetryAfter >= TimeSpan.FromMinutes(1), $"retry after {exception.RetryAfter}");
    }

    [Fact]
    public async Task Usage_near_the_limit_spaces_calls_out_before_Meta_throttles()
    {
        var (client, _) = Connect(failure: "USAGE_NEAR");
        Assert.Single(await All(client, Anchor, Anchor));
        // At 95 % the next call waits most of a minute: longer than the client sleeps, so the fetch is deferred.
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Anchor, Anchor));
        Assert.Equal(("PACED", true), (exception.Code, exception.Transient));
        Assert.InRange(exception.RetryAfter!.Value.TotalSeconds, 30, 60);
    }

    [Fact]
    public async Task The_sandbox_answers_only_the_fields_asked_for_and_refuses_an_unknown_one_as_Meta_does()
    {
        var (_, http) = Connect();
        var range = Uri.EscapeDataString("{\"since\":\"2026-11-29\",\"until\":\"2026-11-30\"}");
        var answer = await http.GetFromJsonAsync<JsonElement>(
            $"/meta/v23.0/act_{AccountId}/insights?level=campaign&time_increment=1&time_range={range}&fields=campaign_id,spend&access_token={Token}");
        var row = answer.GetProperty("data")[0];
        Assert.Equal(["campaign_id", "spend", "date_start", "date_stop"], row.EnumerateObject().Select(p => p.Name));
        Assert.NotNull(answer.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString());

        var refused = await http.GetAsync($"/meta/v23.0/act_{AccountId}/insights?time_range={range}&fields=campaign_id,revenue&access_token={Token}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Contains("revenue is not valid for fields param", error.GetProperty("message").GetString());
        Assert.True(refused.Headers.Contains("X-Business-Use-Case-Usage"));
    }

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Meta", name))).RootElement;

    [Fact]
    public async Task Metas_documented_asynchronous_example_sent_as_a_form_is_answered_with_a_numeric_report_id_and_a_report_of_Metas_defaults()
    {
        var (_, http) = Connect();
        // The Insights API's "Asynchronous Jobs" example: curl -F 'level="campaign"' -F 'fields=[]' -F 'access_token=<ACCESS_TOKEN>' .../insights
        using var form = new MultipartFormDataContent
        {
            { new StringContent("\"campaign\""), "level" }, { new StringContent("[]"), "fields" }, { new StringContent(Token), "access_token" },
        };
        var started = await http.PostAsync($"/meta/v23.0/act_{AccountId}/insights", form);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var created = await started.Content.ReadFromJsonAsync<JsonElement>();
        JsonShape.Assert(Fixture("report_run_started.json"), created);
        var id = created.GetProperty("report_run_id").GetInt64();

        // Read before it is done, a report's insights are refused as Meta refuses them; its status says both its state and its percentage.
        var early = await http.GetAsync($"/meta/v23.0/{id}/insights?access_token={Token}");
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        JsonShape.Assert(Fixture("report_not_ready.json"), await early.Content.ReadFromJsonAsync<JsonElement>());
        JsonElement status;
        do
        {
            await Task.Delay(100);
            status = await http.GetFromJsonAsync<JsonElement>($"/meta/v23.0/{id}?access_token={Token}");
            Assert.Equal(JsonValueKind.Number, status.GetProperty("async_percent_completion").ValueKind);
        } while (status.GetProperty("async_status").GetString() != "Job Completed");
        Assert.Equal(100, status.GetProperty("async_percent_completion").GetInt32());

        // Meta's defaults: the last 30 days before today in the account's zone, all days together, impressions and spend.
        var report = await http.GetFromJsonAsync<JsonElement>($"/meta/v23.0/{id}/insights?access_token={Token}");
        var rows = report.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(["impressions", "spend", "date_start", "date_stop"], r.EnumerateObject().Select(p => p.Name)));
        var zone = (await http.GetFromJsonAsync<JsonElement>($"/meta/v23.0/act_{AccountId}?fields=timezone_name&access_token={Token}"))
            .GetProperty("timezone_name").GetString()!;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
        Assert.All(rows, r => Assert.Equal((today.AddDays(-30).ToString("yyyy-MM-dd"), today.AddDays(-1).ToString("yyyy-MM-dd")),
            (r.GetProperty("date_start").GetString(), r.GetProperty("date_stop").GetString())));
    }

    [Fact]
    public async Task Left_out_parameters_take_Metas_defaults_and_every_increment_sums_the_days_it_covers()
    {
        var (_, http) = Connect();
        var range = Uri.EscapeDataString("{'since':'2026-10-15','until':'2026-11-30'}");
        async Task<List<JsonElement>> Read(string parameters) =>
            (await http.GetFromJsonAsync<JsonElement>($"/meta/v23.0/act_{AccountId}/insights?{parameters}&limit=500&access_token={Token}"))
            .GetProperty("data").EnumerateArray().ToList();
        static long Impressions(IEnumerable<JsonElement> rows) => rows.Sum(r => long.Parse(r.GetProperty("impressions").GetString()!));
        static decimal Spend(IEnumerable<JsonElement> rows) =>
            rows.Sum(r => decimal.Parse(r.GetProperty("spend").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        var daily = await Read($"level=campaign&time_increment=1&time_range={range}");
        Assert.Equal(47 * 4, daily.Count);
        // The Insights API's "Making Calls" example: fields=impressions alone, at the ad account's own level, all days in one row.
        var account = await http.GetFromJsonAsync<JsonElement>(
            $"/meta/v23.0/act_{AccountId}/insights?fields=impressions&time_range={range}&access_token={Token}");
        JsonShape.Assert(Fixture("insights_fields_impressions.json"), account);
        var whole = Assert.Single(account.GetProperty("data").EnumerateArray());
        Assert.Equal(("2026-10-15", "2026-11-30"), (whole.GetProperty("date_start").GetString(), whole.GetProperty("date_stop").GetString()));
        Assert.Equal(Impressions(daily), Impressions([whole]));
        Assert.Equal("MAZDZD", account.GetProperty("paging").GetProperty("cursors").GetProperty("before").GetString());

        var monthly = await Read($"level=campaign&time_increment=monthly&time_range={range}&fields=[\"campaign_id\",\"spend\",\"impressions\"]");
        Assert.Equal([("2026-10-15", "2026-10-31"), ("2026-11-01", "2026-11-30")],
            monthly.Select(r => (r.GetProperty("date_start").GetString(), r.GetProperty("date_stop").GetString())).Distinct());
        Assert.Equal(Spend(daily), Spend(monthly));
        var weekly = await Read($"level=campaign&time_increment=7&time_range={range}&fields=campaign_id,spend,impressions");
        Assert.Equal(7 * 4, weekly.Count);
        Assert.Equal(("2026-11-26", "2026-11-30"), (weekly[^1].GetProperty("date_start").GetString(), weekly[^1].GetProperty("date_stop").GetString()));
        Assert.Equal((Spend(daily), Impressions(daily)), (Spend(weekly), Impressions(weekly)));

        var refused = await http.GetAsync($"/meta/v23.0/act_{AccountId}/insights?time_increment=400&access_token={Token}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("time_increment", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Insights_answers_carry_the_insights_throttle_header_and_refusals_leave_out_the_members_Meta_leaves_out()
    {
        var (_, http) = Connect(failure: "TOO_MUCH_DATA:10");
        var answer = await http.GetAsync($"/meta/v23.0/act_{AccountId}/insights?date_preset=last_7d&access_token={Token}");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var throttle = JsonDocument.Parse(answer.Headers.GetValues("X-FB-Ads-Insights-Throttle").Single()).RootElement;
        Assert.Equal(JsonValueKind.Number, throttle.GetProperty("app_id_util_pct").ValueKind);
        Assert.Equal(JsonValueKind.Number, throttle.GetProperty("acc_id_util_pct").ValueKind);

        var tooMuch = await http.GetAsync($"/meta/v23.0/act_{AccountId}/insights?date_preset=last_30d&access_token={Token}");
        Assert.Equal(HttpStatusCode.InternalServerError, tooMuch.StatusCode);
        Assert.Equal(["message", "code"], (await tooMuch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").EnumerateObject().Select(p => p.Name));
        var unknown = await http.GetAsync($"/meta/v23.0/act_{AccountId}/insights?fields=revenue&access_token={Token}");
        var error = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.False(error.TryGetProperty("error_subcode", out _));
        Assert.False(error.TryGetProperty("is_transient", out _));
    }

    [Fact]
    public async Task Too_much_data_on_the_asynchronous_path_splits_the_report_until_Meta_takes_it()
    {
        var (client, _) = Connect(failure: "TOO_MUCH_DATA:40", pageSize: 500, asyncAfterDays: 31);
        var pages = await All(client, Anchor.AddDays(-89), Anchor);

        Assert.Equal(360, pages.Sum(p => p.Rows));
        Assert.Equal(360, Rows(pages).Select(r => (r.GetProperty("campaign_id").GetString(), r.GetProperty("date_start").GetString())).Distinct().Count());
        Assert.All(pages, p => Assert.True(p.Until.DayNumber - p.Since.DayNumber < 40, $"{p.Since}..{p.Until}"));
    }

    [Fact]
    public async Task A_later_page_Meta_finds_too_large_is_asked_for_again_in_smaller_pages()
    {
        var (client, _) = Connect(failure: "PAGE_LIMIT:20", pageSize: 50);
        var pages = await All(client, Anchor.AddDays(-29), Anchor);

        Assert.Equal(50, pages[0].Rows);
        Assert.All(pages.Skip(1), p => Assert.True(p.Rows <= 20));
        Assert.Equal(120, Rows(pages).Select(r => (r.GetProperty("campaign_id").GetString(), r.GetProperty("date_start").GetString())).Distinct().Count());
        Assert.Equal(120, pages.Sum(p => p.Rows));
    }

    public void Dispose() => _sandbox.Dispose();
}
