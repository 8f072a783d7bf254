namespace GrowthOs.Connector.GoogleAds;

/// <summary>The answer of one searchStream call, unparsed, with the query it answers and when: what the archive keeps.</summary>
public sealed record GoogleAdsAnswer(DateOnly Since, DateOnly Until, string Query, string Body, int Batches, int Rows, DateTimeOffset FetchedAt);
