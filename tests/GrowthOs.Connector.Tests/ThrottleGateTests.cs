using GrowthOs.Connector.Shopify;

namespace GrowthOs.Connector.Tests;

public sealed class ThrottleGateTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_shop_never_reported_is_not_held_back() =>
        Assert.Equal(TimeSpan.Zero, new ThrottleGate(new ManualClock()).WaitFor("a", 10));

    [Fact]
    public void A_request_waits_for_the_points_it_lacks_at_the_restore_rate()
    {
        var clock = new ManualClock();
        var gate = new ThrottleGate(clock);
        gate.Record("a", new QueryCost(10, 10, 2000, CurrentlyAvailable: 4, RestoreRate: 100));

        Assert.Equal(TimeSpan.FromMilliseconds(60), gate.WaitFor("a", 10));
        clock.Now = clock.Now.AddMilliseconds(60);
        Assert.Equal(TimeSpan.Zero, gate.WaitFor("a", 10));
    }

    [Fact]
    public void The_bucket_never_refills_past_its_maximum()
    {
        var clock = new ManualClock();
        var gate = new ThrottleGate(clock);
        gate.Record("a", new QueryCost(1, 1, 50, CurrentlyAvailable: 0, RestoreRate: 50));
        clock.Now = clock.Now.AddHours(1);
        Assert.Equal(TimeSpan.FromSeconds(1), gate.WaitFor("a", 100));
    }

    [Fact]
    public void A_wait_is_bounded()
    {
        var gate = new ThrottleGate(new ManualClock());
        gate.Record("a", new QueryCost(1, 1, 2000, CurrentlyAvailable: 0, RestoreRate: 1));
        Assert.Equal(ThrottleGate.MaxWait, gate.WaitFor("a", 1000));
    }
}
