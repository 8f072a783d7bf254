using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Watermarks;

namespace GrowthOs.IngestSaga.Tests;

public sealed class WatermarkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private static readonly BulkSyncOptions Settings = new() { WatermarkFloorDays = 128, LookbackMinutes = 60 };

    [Fact]
    public void A_missing_watermark_starts_at_the_floor() =>
        Assert.Equal(Now.AddDays(-128), WatermarkStore.ExtractFrom(null, Now, Settings));

    [Fact]
    public void A_watermark_older_than_the_floor_resets_to_the_floor() =>
        Assert.Equal(Now.AddDays(-128), WatermarkStore.ExtractFrom(Now.AddDays(-200), Now, Settings));

    [Fact]
    public void A_recent_watermark_is_reread_from_the_lookback_window() =>
        Assert.Equal(Now.AddDays(-1).AddMinutes(-60), WatermarkStore.ExtractFrom(Now.AddDays(-1), Now, Settings));

    [Fact]
    public void The_lookback_never_reaches_past_the_floor() =>
        Assert.Equal(Now.AddDays(-128), WatermarkStore.ExtractFrom(Now.AddDays(-128).AddMinutes(10), Now, Settings));
}
