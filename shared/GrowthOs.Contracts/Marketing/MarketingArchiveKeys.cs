namespace GrowthOs.Contracts.Marketing;

/// <summary>Where a marketing run's pages and manifest are archived: <c>raw/{source}/{shop}/{yyyy}/{MM}/{dd}/{runId}-{attempt}/</c>.</summary>
public static class MarketingArchiveKeys
{
    public static string Prefix(string source, string shop, DateTimeOffset at, Guid runId, int attempt) =>
        $"raw/{source}/{shop}/{at.UtcDateTime:yyyy/MM/dd}/{runId:N}-{attempt}/";

    public static string Page(string prefix, int number) => $"{prefix}page-{number:0000}.json";

    public static string Manifest(string prefix) => $"{prefix}manifest.json";

    /// <summary>Whether <paramref name="key"/> lies under <c>raw/{source}/{shop}/</c>: the archive of that shop and source.</summary>
    public static bool IsOf(string key, string source, string shop) =>
        key.StartsWith($"raw/{source}/{shop}/", StringComparison.Ordinal) && !key.Contains("..", StringComparison.Ordinal);
}
