namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>The kinds of run, as the runs API and the telemetry name them.</summary>
public static class JobTypes
{
    public const string DailySync = "DAILY_SYNC";
    public const string Replay = "REPLAY";
    public const string FullBackfill = "FULL_BACKFILL_EXECUTE";
    public const string MarketingSync = "MARKETING_SYNC";
    public const string MarketingBackfill = "MARKETING_BACKFILL";
    public const string MarketingReplay = "MARKETING_REPLAY";
}
