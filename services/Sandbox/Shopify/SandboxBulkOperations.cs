using System.Collections.Concurrent;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

public sealed record SandboxBulkOperation(
    long Number,
    string ShopDomain,
    string Query,
    string Root,
    DateTimeOffset? UpdatedSince,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedBefore,
    DateTimeOffset CreatedAt)
{
    public string Id => $"gid://shopify/BulkOperation/{Number}";
}

/// <summary>The part of Shopify's search syntax the sandbox understands: updated_at:&gt;=, created_at:&gt;= and created_at:&lt;.</summary>
public sealed record SearchFilter(DateTimeOffset? UpdatedSince, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedBefore);

/// <summary>Bulk operations of every sandbox shop. The status follows the clock: CREATED, RUNNING, then COMPLETED.</summary>
public sealed class SandboxBulkOperations(IOptions<SandboxOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, SandboxBulkOperation> _operations = new();
    private readonly ConcurrentDictionary<long, long> _objectCounts = new();
    private readonly Lock _startLock = new();
    private long _lastNumber = 4_000_000;

    private TimeSpan Duration => TimeSpan.FromMilliseconds(options.Value.BulkOperationDurationMilliseconds);

    /// <summary>Starts an operation, or returns null when the shop already runs <paramref name="limit"/> bulk queries.</summary>
    public SandboxBulkOperation? TryStart(string shop, string query, string root, SearchFilter filter, int limit, out SandboxBulkOperation? blocking)
    {
        lock (_startLock)
        {
            var running = _operations.Values.Where(o => o.ShopDomain == shop && !IsFinished(o)).OrderBy(o => o.Number).ToList();
            if (running.Count >= limit)
            {
                blocking = running[0];
                return null;
            }
            blocking = null;
            var operation = new SandboxBulkOperation(Interlocked.Increment(ref _lastNumber), shop, query, root,
                filter.UpdatedSince, filter.CreatedFrom, filter.CreatedBefore, clock.GetUtcNow());
            _operations[operation.Number] = operation;
            return operation;
        }
    }

    public SandboxBulkOperation? Find(long number) => _operations.GetValueOrDefault(number);

    public string StatusOf(SandboxBulkOperation operation)
    {
        var elapsed = clock.GetUtcNow() - operation.CreatedAt;
        if (elapsed >= Duration) return "COMPLETED";
        return elapsed >= Duration / 10 ? "RUNNING" : "CREATED";
    }

    public DateTimeOffset? CompletedAt(SandboxBulkOperation operation) =>
        IsFinished(operation) ? operation.CreatedAt + Duration : null;

    public long ObjectCount(SandboxBulkOperation operation, DemoShop shop) =>
        _objectCounts.GetOrAdd(operation.Number, _ => SelectOrders(operation, shop).Sum(o => 1L + o.LineItems.Count));

    public long RootObjectCount(SandboxBulkOperation operation, DemoShop shop) => SelectOrders(operation, shop).LongCount();

    public static IEnumerable<DemoOrder> SelectOrders(SandboxBulkOperation operation, DemoShop shop) =>
        operation.Root == "orders"
            ? shop.Orders().Where(o => (operation.UpdatedSince is not { } since || o.UpdatedAt >= since)
                                       && (operation.CreatedFrom is not { } from || o.CreatedAt >= from)
                                       && (operation.CreatedBefore is not { } before || o.CreatedAt < before))
            : [];

    private bool IsFinished(SandboxBulkOperation operation) => StatusOf(operation) == "COMPLETED";
}
