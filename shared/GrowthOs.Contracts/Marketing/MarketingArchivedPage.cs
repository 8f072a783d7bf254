namespace GrowthOs.Contracts.Marketing;

public record MarketingArchivedPage(
    string Key,
    string Endpoint,
    string Request,
    DateOnly? Since,
    DateOnly? Until,
    DateTimeOffset FetchedAt,
    int Rows,
    long Bytes);
