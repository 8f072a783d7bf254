namespace GrowthOs.Connector.Marketing;

/// <summary>
/// One answer page of a marketing source, unparsed: the days it answers (the platform's reporting days), the endpoint
/// and the request without its token, the body exactly as it came, its row count and when it came. What the archive
/// keeps before anything reads it.
/// </summary>
public sealed record MarketingPage(DateOnly Since, DateOnly Until, string Endpoint, string Request, string Body, int Rows, DateTimeOffset FetchedAt);
