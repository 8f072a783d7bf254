using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>The one binder of a read's reporting days and shop, as every read route of every service uses it.</summary>
public sealed class ReportingPeriodTests
{
    private static readonly DateOnly Today = new(2026, 3, 1);

    private static ReportingPeriod Bound(string? days, string? from, string? to, int defaultDays = 7)
    {
        var problem = ReportingPeriod.Bind(days, from, to, Today, defaultDays, out var period);
        Assert.True(problem is null, Refusal(problem).Detail);
        return period;
    }

    private static (string? Parameter, string? Detail) Refused(string? days, string? from, string? to)
    {
        var problem = ReportingPeriod.Bind(days, from, to, Today, 7, out _);
        Assert.NotNull(problem);
        return Refusal(problem);
    }

    private static (string? Parameter, string? Detail) Refusal(object? problem) =>
        problem is ProblemHttpResult { StatusCode: 400 } result
            ? (result.ProblemDetails.Extensions["parameter"] as string, result.ProblemDetails.Detail)
            : (null, null);

    [Fact]
    public void Nothing_given_is_the_routes_default_length_up_to_yesterday_and_days_the_last_that_many()
    {
        Assert.Equal(new ReportingPeriod(new(2026, 2, 22), new(2026, 2, 28)), Bound(null, null, null));
        Assert.Equal(new ReportingPeriod(new(2026, 1, 31), new(2026, 2, 28)), Bound(null, null, null, defaultDays: 29));
        Assert.Equal(new ReportingPeriod(new(2026, 2, 28), new(2026, 2, 28)), Bound("1", null, null));
        Assert.Equal(366, Bound("366", null, null).Days);
    }

    [Fact]
    public void From_and_to_alone_or_together_are_inclusive_reporting_days()
    {
        Assert.Equal(new ReportingPeriod(new(2026, 2, 1), new(2026, 2, 10)), Bound(null, "2026-02-01", "2026-02-10"));
        Assert.Equal(new ReportingPeriod(new(2026, 2, 1), new(2026, 2, 28)), Bound(null, "2026-02-01", null));
        Assert.Equal(new ReportingPeriod(new(2026, 3, 1), new(2026, 3, 1)), Bound(null, "2026-03-01", null));
        Assert.Equal(new ReportingPeriod(new(2026, 2, 4), new(2026, 2, 10)), Bound(null, null, "2026-02-10"));
    }

    [Fact]
    public void The_previous_period_is_as_long_and_ends_the_day_before()
    {
        var period = Bound(null, "2026-02-01", "2026-02-10");
        Assert.Equal(new ReportingPeriod(new(2026, 1, 22), new(2026, 1, 31)), period.Previous);
    }

    [Theory]
    [InlineData("0", null, null, "days")]
    [InlineData("367", null, null, "days")]
    [InlineData("seven", null, null, "days")]
    [InlineData("7", "2026-02-01", null, "days")]
    [InlineData(null, "2026-02-30", null, "from")]
    [InlineData(null, "1999-12-31", null, "from")]
    [InlineData(null, null, "2101-01-01", "to")]
    [InlineData(null, "2026-02-10", "2026-02-01", "from")]
    [InlineData(null, null, "2026-03-02", "to")]
    [InlineData(null, "2026-03-02", null, "from")]
    [InlineData(null, "2025-02-27", "2026-02-28", "from")]
    public void A_period_it_cannot_answer_is_a_problem_naming_the_parameter(string? days, string? from, string? to, string parameter)
    {
        var (named, detail) = Refused(days, from, to);
        Assert.Equal(parameter, named);
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }

    [Theory]
    [InlineData(null, "shop is required")]
    [InlineData("  ", "shop is required")]
    [InlineData("not a shop", "is not a shop domain")]
    [InlineData("' OR 1=1; --", "is not a shop domain")]
    public void A_missing_or_malformed_shop_is_a_problem_naming_shop(string? shop, string said)
    {
        var problem = ShopQuery.Bind(shop, out _);
        var (parameter, detail) = Refusal(problem);
        Assert.Equal("shop", parameter);
        Assert.Contains(said, detail);
        Assert.Null(ShopQuery.Bind(" demo-shop.myshopify.com ", out var domain));
        Assert.Equal("demo-shop.myshopify.com", domain);
    }
}
