namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// A marketing run ended: the days it read, the rows it loaded, whether some of the range was refused (partial), and
/// which kind of run it was (MARKETING_SYNC, MARKETING_BACKFILL, MARKETING_REPLAY).
/// </summary>
public record MarketingSyncCompleted(
    Guid RunId,
    string ShopDomain,
    string Source,
    DateOnly Since,
    DateOnly Until,
    long Rows,
    DateTimeOffset CompletedAt,
    bool Partial = false,
    string? JobType = null);
