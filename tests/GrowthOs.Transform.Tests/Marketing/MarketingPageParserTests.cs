using GrowthOs.Contracts.Marketing;
using GrowthOs.Transform.Marketing;

namespace GrowthOs.Transform.Tests;

/// <summary>The parser held to answers in the shapes the providers document and public connectors captured (the Connector's contract fixtures).</summary>
public sealed class MarketingPageParserTests
{
    private static readonly string[] PurchaseTypes = ["omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"];
    private static readonly DateOnly Tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);

    private static string Fixture(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ContractFixtures", path));

    [Fact]
    public void A_captured_Meta_insights_row_gives_spend_in_cents_and_the_first_purchase_type_it_reports()
    {
        var page = MarketingPageParser.Parse(MarketingSources.Meta, "act_798085168510957", Fixture("Meta/insights_page.json"), PurchaseTypes, Tomorrow);
        var row = Assert.Single(page.Campaigns);
        // spend "14.35" → 1435; omni_purchase 2 (not 2 + 2 with purchase); its value "81.5" → 8150.
        Assert.Equal(("23854404676180548", new DateOnly(2023, 6, 1), "USD", 1435L, 185L, 9L, 2m, 8150L),
            (row.CampaignId, row.Day, row.CurrencyCode, row.SpendMinor, row.Impressions, row.Clicks, row.Conversions, row.ConversionValueMinor));
        Assert.Equal("act_798085168510957", row.AccountId);
        Assert.Empty(page.Rejected);
    }

    [Fact]
    public void A_documented_searchStream_answer_gives_micros_as_cents_and_zero_for_what_proto3_leaves_out()
    {
        var page = MarketingPageParser.Parse(MarketingSources.GoogleAds, "customers/3552856345", Fixture("GoogleAds/search_stream.json"), PurchaseTypes,
            Tomorrow);
        Assert.Equal(2, page.Campaigns.Count);
        // 185,340,000 micros = 185.34 USD → 18534; conversions 3.0; value 412.5 → 41250.
        Assert.Equal((18534L, 2210L, 142L, 3.0m, 41250L), (page.Campaigns[0].SpendMinor, page.Campaigns[0].Impressions, page.Campaigns[0].Clicks,
            page.Campaigns[0].Conversions, page.Campaigns[0].ConversionValueMinor));
        Assert.Equal((0L, 35L, 0L, 0m, 0L), (page.Campaigns[1].SpendMinor, page.Campaigns[1].Impressions, page.Campaigns[1].Clicks,
            page.Campaigns[1].Conversions, page.Campaigns[1].ConversionValueMinor));
        Assert.Contains(new ReportedAccount("customers/3552856345", "USD", "America/New_York"), page.Accounts);
        Assert.Empty(MarketingPageParser.Parse(MarketingSources.GoogleAds, "customers/1", Fixture("GoogleAds/search_stream_empty.json"), PurchaseTypes,
            Tomorrow).Campaigns);
    }

    [Fact]
    public void A_GA4_report_is_read_by_its_headers_strings_and_all_and_an_empty_one_has_no_rows()
    {
        var page = MarketingPageParser.Parse(MarketingSources.Ga4, "properties/213025502", Fixture("Ga4/run_report_page.json"), PurchaseTypes, Tomorrow);
        Assert.Equal(2, page.Traffic.Count);
        // "1043.5" → 104350; "817.9899999999999" (a double GA4 summed) → 81798.99… → 81799.
        Assert.Equal((new DateOnly(2026, 6, 1), "Direct", 412L, 318L, 11m, 104350L),
            (page.Traffic[0].Day, page.Traffic[0].ChannelGroup, page.Traffic[0].Sessions, page.Traffic[0].Users, page.Traffic[0].KeyEvents,
                page.Traffic[0].RevenueMinor));
        Assert.Equal(81799L, page.Traffic[1].RevenueMinor);
        Assert.Contains(new ReportedAccount("properties/213025502", "USD", "America/New_York"), page.Accounts);
        Assert.Empty(MarketingPageParser.Parse(MarketingSources.Ga4, "properties/1", Fixture("Ga4/run_report_empty.json"), PurchaseTypes, Tomorrow).Traffic);
    }

    [Theory]
    [InlineData("meta", "Meta/token_expired.json", "Meta's error")]
    [InlineData("meta", "Meta/reduce_data.json", "Meta's error")]
    [InlineData("google_ads", "GoogleAds/quota_exhausted.json", "Google's error")]
    [InlineData("google_ads", "GoogleAds/permission_denied_in_array.json", "Google's error")]
    [InlineData("ga4", "Ga4/quota_exhausted_hourly.json", "Google's error")]
    public void An_error_answer_archived_as_a_page_is_refused_with_what_it_was(string source, string fixture, string named)
    {
        var exception = Assert.Throws<MalformedPageException>(() => MarketingPageParser.Parse(source, "account", Fixture(fixture), PurchaseTypes, Tomorrow));
        Assert.Contains(named, exception.Message);
    }

    [Theory]
    [InlineData(1_234_567L, "USD", 123L)]
    [InlineData(1_235_000L, "USD", 124L)]
    [InlineData(-1_235_000L, "USD", -124L)]
    [InlineData(1_500_000L, "JPY", 2L)]
    [InlineData(1_234_567L, "KWD", 1235L)]
    public void Micros_become_minor_units_half_away_from_zero_in_integer_arithmetic(long micros, string currency, long minor) =>
        Assert.Equal(minor, MarketingPageParser.MicrosToMinor(micros, currency));
}
