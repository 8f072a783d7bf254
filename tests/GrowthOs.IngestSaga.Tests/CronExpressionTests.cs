using GrowthOs.IngestSaga.Schedules;
using GrowthOs.ServiceDefaults.Scheduling;

namespace GrowthOs.IngestSaga.Tests;

public sealed class CronExpressionTests
{
    private static DateTimeOffset At(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 6 * * *", "2026-11-22T05:59:30Z", "2026-11-22T06:00:00Z")]
    [InlineData("0 6 * * *", "2026-11-22T06:00:00Z", "2026-11-23T06:00:00Z")]
    [InlineData("*/15 * * * *", "2026-11-22T06:07:00Z", "2026-11-22T06:15:00Z")]
    [InlineData("30 2 1 * *", "2026-11-22T00:00:00Z", "2026-12-01T02:30:00Z")]
    [InlineData("0 9 * * MON-FRI", "2026-11-21T10:00:00Z", "2026-11-23T09:00:00Z")]
    [InlineData("0 0 29 FEB *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 12 13 * 5", "2026-11-22T00:00:00Z", "2026-11-27T12:00:00Z")]
    [InlineData("5,35 8-9 * * 0", "2026-11-22T08:06:00Z", "2026-11-22T08:35:00Z")]
    public void The_next_occurrence_is_the_first_one_strictly_after(string cron, string after, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), CronExpression.Parse(cron).Next(DateTimeOffset.Parse(after)));

    [Theory]
    // 06:00 in New York is 11:00 UTC in winter (EST) and 10:00 in summer (EDT).
    [InlineData("0 6 * * *", "America/New_York", "2026-11-22T00:00:00Z", "2026-11-22T11:00:00Z")]
    [InlineData("0 6 * * *", "America/New_York", "2026-07-01T10:00:00Z", "2026-07-02T10:00:00Z")]
    [InlineData("0 6 * * *", "Asia/Tokyo", "2026-11-22T00:00:00Z", "2026-11-22T21:00:00Z")]
    // 02:30 does not exist in New York on 2026-03-08 (02:00 jumps to 03:00): it runs as late as the clocks skipped, 03:30 EDT.
    [InlineData("30 2 * * *", "America/New_York", "2026-03-08T05:00:00Z", "2026-03-08T07:30:00Z")]
    // 01:30 is shown twice on 2026-11-01 (EDT, then EST): it runs at its first showing only, then the next day.
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z")]
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z")]
    public void The_next_occurrence_follows_the_zones_clocks(string cron, string zone, string after, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), CronExpression.Parse(cron).Next(DateTimeOffset.Parse(after), TimeZoneInfo.FindSystemTimeZoneById(zone)));

    [Theory]
    [InlineData("0 6 * *")]
    [InlineData("60 6 * * *")]
    [InlineData("0 24 * * *")]
    [InlineData("0 6 * * FUNDAY")]
    [InlineData("*/0 6 * * *")]
    [InlineData("0 6 10-2 * *")]
    public void An_invalid_expression_is_refused_with_the_field_named(string cron)
    {
        Assert.False(CronExpression.TryParse(cron, out _, out var error));
        Assert.Contains(cron, error);
    }

    [Fact]
    public void An_invalid_schedule_setting_names_the_setting()
    {
        var options = new ScheduleOptions { Shops = [new ShopSchedule { Shop = "a", Cron = "0 25 * * *" }] };
        var error = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        Assert.StartsWith("Schedules:Shops:0:Cron is not valid", error.ErrorMessage);
    }

    [Fact]
    public void A_scheduled_occurrence_always_has_the_same_run_id()
    {
        var due = At(11, 22, 6, 0);
        Assert.Equal(ScheduledSyncDispatcher.ScheduledRunId("a.myshopify.com", due), ScheduledSyncDispatcher.ScheduledRunId("A.myshopify.com", due));
        Assert.NotEqual(ScheduledSyncDispatcher.ScheduledRunId("a.myshopify.com", due),
            ScheduledSyncDispatcher.ScheduledRunId("a.myshopify.com", due.AddDays(1)));
        Assert.NotEqual(ScheduledSyncDispatcher.ScheduledRunId("a.myshopify.com", due), ScheduledSyncDispatcher.ScheduledRunId("b.myshopify.com", due));
    }

    [Fact]
    public void A_clients_idempotency_key_never_names_a_scheduled_run_and_always_names_the_same_run_of_its_shop()
    {
        var due = At(11, 22, 6, 0);
        var scheduled = ScheduledSyncDispatcher.ScheduledRunId("a.myshopify.com", due);
        Assert.NotEqual(scheduled, GrowthOs.IngestSaga.Runs.RunIds.FromClient("a.myshopify.com", scheduled.ToString()));
        Assert.NotEqual(scheduled, GrowthOs.IngestSaga.Runs.RunIds.FromClient("a.myshopify.com", $"scheduled-sync|a.myshopify.com|{due.UtcDateTime:O}"));
        Assert.Equal(GrowthOs.IngestSaga.Runs.RunIds.FromClient("a.myshopify.com", "k-1"),
            GrowthOs.IngestSaga.Runs.RunIds.FromClient("A.myshopify.com", "k-1"));
        Assert.NotEqual(GrowthOs.IngestSaga.Runs.RunIds.FromClient("a.myshopify.com", "k-1"),
            GrowthOs.IngestSaga.Runs.RunIds.FromClient("b.myshopify.com", "k-1"));
        Assert.False(GrowthOs.IngestSaga.Runs.RunIds.IsIdempotencyKey("with space"));
        Assert.False(GrowthOs.IngestSaga.Runs.RunIds.IsIdempotencyKey(new string('k', 129)));
    }
}
