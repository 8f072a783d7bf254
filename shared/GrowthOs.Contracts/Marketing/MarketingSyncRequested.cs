namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// A marketing sync of one shop and source, by the daily schedule (<c>cron</c>) or a person (<c>user</c>): the days from
/// the source's watermark less its trailing window (where the platform revises its figures) to yesterday, or, when
/// <paramref name="From"/> and <paramref name="To"/> are given, those days (inclusive) whatever the watermark.
/// </summary>
public record MarketingSyncRequested(
    Guid RunId,
    string ShopDomain,
    string Source,
    string Initiator,
    DateTimeOffset RequestedAt,
    DateOnly? From = null,
    DateOnly? To = null);
