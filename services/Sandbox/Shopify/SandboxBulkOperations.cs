using System.Collections.Concurrent;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Bulk operations of every Sandbox shop. The status follows the clock (CREATED, RUNNING, then COMPLETED) unless the
/// operation was canceled. With <see cref="SandboxOptions.StateDirectory"/> set, every operation is appended to a file
/// there and read back at start, so a restart of the Sandbox forgets none: its file is derived again from the demo data.
/// </summary>
public sealed class SandboxBulkOperations
{
    private static readonly TimeSpan CancelingFor = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<long, SandboxBulkOperation> _operations = new();
    private readonly Lock _lock = new();
    private readonly IOptions<SandboxOptions> _options;
    private readonly TimeProvider _clock;
    private readonly StateFile<SandboxBulkOperation> _state;
    private long _lastNumber = 4_000_000;

    public SandboxBulkOperations(IOptions<SandboxOptions> options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _state = new StateFile<SandboxBulkOperation>(options.Value, "bulk-operations.jsonl");
        foreach (var saved in _state.ReadAll())
        {
            _operations[saved.Number] = saved;
            _lastNumber = Math.Max(_lastNumber, saved.Number);
        }
    }

    /// <summary>How long the operation runs: its shop's own duration when it was started with one, else the Sandbox's.</summary>
    private TimeSpan DurationOf(SandboxBulkOperation operation) =>
        TimeSpan.FromMilliseconds(operation.DurationMilliseconds ?? _options.Value.BulkOperationDurationMilliseconds);

    /// <summary>
    /// Starts an operation that runs <paramref name="durationMilliseconds"/> (the Sandbox's duration when null), or returns
    /// null when the shop already runs <paramref name="limit"/> bulk queries.
    /// </summary>
    public SandboxBulkOperation? TryStart(string shop, string version, string query, int limit, out SandboxBulkOperation? blocking,
        int? durationMilliseconds = null)
    {
        lock (_lock)
        {
            var running = Running(shop).ToList();
            if (running.Count >= limit)
            {
                blocking = running[0];
                return null;
            }
            blocking = null;
            var operation = new SandboxBulkOperation(++_lastNumber, shop, version, query, _clock.GetUtcNow(), DurationMilliseconds: durationMilliseconds);
            Save(operation);
            return operation;
        }
    }

    /// <summary>Cancels a running operation; false when it had already finished.</summary>
    public bool TryCancel(SandboxBulkOperation operation, out SandboxBulkOperation canceled)
    {
        lock (_lock)
        {
            canceled = _operations[operation.Number];
            if (IsFinished(canceled)) return false;
            canceled = canceled with { CanceledAt = _clock.GetUtcNow() };
            Save(canceled);
            return true;
        }
    }

    public SandboxBulkOperation? Find(long number) => _operations.GetValueOrDefault(number);

    public SandboxBulkOperation? Find(string shop, string? id) =>
        id is not null && id.StartsWith(SandboxBulkOperation.IdPrefix, StringComparison.Ordinal)
        && long.TryParse(id[SandboxBulkOperation.IdPrefix.Length..], out var number)
        && Find(number) is { } operation && string.Equals(operation.ShopDomain, shop, StringComparison.OrdinalIgnoreCase)
            ? operation
            : null;

    /// <summary>The shop's operations, newest first.</summary>
    public IEnumerable<SandboxBulkOperation> OfShop(string shop) =>
        _operations.Values.Where(o => string.Equals(o.ShopDomain, shop, StringComparison.OrdinalIgnoreCase)).OrderByDescending(o => o.Number);

    public IEnumerable<SandboxBulkOperation> Running(string shop) => OfShop(shop).Where(o => !IsFinished(o)).OrderBy(o => o.Number);

    public string StatusOf(SandboxBulkOperation operation)
    {
        var now = _clock.GetUtcNow();
        if (operation.CanceledAt is { } canceledAt) return now - canceledAt < CancelingFor ? "CANCELING" : "CANCELED";
        var elapsed = now - operation.CreatedAt;
        var duration = DurationOf(operation);
        if (elapsed >= duration) return "COMPLETED";
        return elapsed >= duration / 10 ? "RUNNING" : "CREATED";
    }

    /// <summary>How far a running operation has got, 0 to 1: its object count grows with it, as Shopify's does.</summary>
    public double Progress(SandboxBulkOperation operation)
    {
        var duration = DurationOf(operation);
        return duration <= TimeSpan.Zero ? 1 : Math.Clamp((_clock.GetUtcNow() - operation.CreatedAt) / duration, 0, 1);
    }

    public DateTimeOffset? CompletedAt(SandboxBulkOperation operation) => StatusOf(operation) switch
    {
        "COMPLETED" => operation.CreatedAt + DurationOf(operation),
        "CANCELED" => operation.CanceledAt + CancelingFor,
        _ => null,
    };

    public bool IsFinished(SandboxBulkOperation operation) => StatusOf(operation) is "COMPLETED" or "CANCELED";

    private void Save(SandboxBulkOperation operation)
    {
        _operations[operation.Number] = operation;
        _state.Append(operation);
    }
}
