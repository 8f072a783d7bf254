namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// The answer of <c>GET /api/ingest/runs</c>: a page of runs, newest first, each a <see cref="RunView"/> or a
/// <see cref="MarketingRunView"/>; and the page, its size and the runs in all.
/// </summary>
public sealed record RunPage(IReadOnlyList<object> Items, int Page, int PageSize, int Total);
