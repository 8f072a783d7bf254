using System.Collections.Concurrent;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify.GraphQl;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// The files of bulk operations, written on demand from the demo data by <see cref="BulkFileWriter"/>: the same
/// operation gives the same bytes every time (its lines shuffled by a seed of the shop and the operation), so nothing
/// is stored and a restarted Sandbox serves the same file. What a file holds is counted once and kept.
/// </summary>
public sealed class BulkResults
{
    private readonly ConcurrentDictionary<(long Number, bool Partial), BulkFileStats> _stats = new();

    public BulkFileStats Stats(SandboxBulkOperation operation, SandboxShop settings, DemoShop shop, bool partial) =>
        _stats.GetOrAdd((operation.Number, partial),
            _ => Write(operation, settings, shop, Stream.Null, partial, CancellationToken.None).GetAwaiter().GetResult());

    public async Task<BulkFileStats> Write(SandboxBulkOperation operation, SandboxShop settings, DemoShop shop, Stream output, bool partial,
        CancellationToken cancellationToken)
    {
        var stats = await WriteFile(shop, operation.ApiVersion, operation.Query, output, unchecked(settings.Seed * 31 + (int)operation.Number),
            partial ? index => index % 2 == 0 : null, cancellationToken);
        _stats.TryAdd((operation.Number, partial), stats);
        return stats;
    }

    /// <summary>The file a bulk query of <paramref name="shop"/> gives (also for benchmarks and tests that need one without a server).</summary>
    public static Task<BulkFileStats> WriteFile(DemoShop shop, string version, string query, Stream output, int? shuffleSeed, Func<int, bool>? keep,
        CancellationToken cancellationToken) =>
        BulkFileWriter.Write(BulkQuery.Parse(AdminSchema.For(version), query), new AdminResolver(shop), shop, output, shuffleSeed, keep, cancellationToken);
}
