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
        _objectCounts.GetOrAdd(operation.Number, _ => operation.Root switch
        {
            "orders" => SelectOrders(operation, shop).Sum(o => 1L + o.LineItems.Count),
            "products" => SelectProducts(operation, shop).Sum(p => 1L + p.Variants.Count),
            "inventoryItems" => SelectInventoryItems(operation, shop).Sum(i => 1L + i.Levels.Count),
            "customers" => SelectCustomers(operation, shop).LongCount(),
            _ => 0,
        });

    public long RootObjectCount(SandboxBulkOperation operation, DemoShop shop) => operation.Root switch
    {
        "orders" => SelectOrders(operation, shop).LongCount(),
        "products" => SelectProducts(operation, shop).LongCount(),
        "inventoryItems" => SelectInventoryItems(operation, shop).LongCount(),
        "customers" => SelectCustomers(operation, shop).LongCount(),
        _ => 0,
    };

    /// <summary>Writes the operation's JSONL; <paramref name="partial"/> keeps every other root object, as a failed operation's partial data would.</summary>
    public static Task WriteResult(SandboxBulkOperation operation, DemoShop shop, bool partial, Stream output, int shuffleSeed, CancellationToken cancellationToken) =>
        operation.Root switch
        {
            "orders" => BulkJsonlWriter.WriteOrders(Half(SelectOrders(operation, shop), partial), output, cancellationToken, shuffleSeed),
            "products" => BulkJsonlWriter.WriteProducts(Half(SelectProducts(operation, shop), partial), output, cancellationToken, shuffleSeed),
            "inventoryItems" => BulkJsonlWriter.WriteInventoryItems(Half(SelectInventoryItems(operation, shop), partial), output, cancellationToken, shuffleSeed),
            "customers" => BulkJsonlWriter.WriteCustomers(Half(SelectCustomers(operation, shop), partial), output, cancellationToken, shuffleSeed),
            _ => Task.CompletedTask,
        };

    private static IEnumerable<T> Half<T>(IEnumerable<T> items, bool partial) => partial ? items.Where((_, index) => index % 2 == 0) : items;

    public static IEnumerable<DemoOrder> SelectOrders(SandboxBulkOperation operation, DemoShop shop) =>
        shop.Orders().Where(o => Matches(operation, o.CreatedAt, o.UpdatedAt));

    public static IEnumerable<DemoProduct> SelectProducts(SandboxBulkOperation operation, DemoShop shop) =>
        shop.Products.Where(p => Matches(operation, p.CreatedAt, p.UpdatedAt));

    /// <summary>Inventory items have no creation time in the sandbox; only updated_at filters them.</summary>
    public static IEnumerable<DemoInventoryItem> SelectInventoryItems(SandboxBulkOperation operation, DemoShop shop) =>
        shop.InventoryItems.Where(i => operation.UpdatedSince is not { } since || i.UpdatedAt >= since);

    public static IEnumerable<DemoCustomer> SelectCustomers(SandboxBulkOperation operation, DemoShop shop) =>
        shop.Customers.Where(c => Matches(operation, c.CreatedAt, c.UpdatedAt));

    private static bool Matches(SandboxBulkOperation operation, DateTimeOffset createdAt, DateTimeOffset updatedAt) =>
        (operation.UpdatedSince is not { } since || updatedAt >= since)
        && (operation.CreatedFrom is not { } from || createdAt >= from)
        && (operation.CreatedBefore is not { } before || createdAt < before);

    private bool IsFinished(SandboxBulkOperation operation) => StatusOf(operation) == "COMPLETED";
}
