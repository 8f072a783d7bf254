using System.Text.Json;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// What the Sandbox keeps across its restarts: one JSON line a record, appended as records are made or changed, in
/// <see cref="SandboxOptions.StateDirectory"/>; read back in order at start, a later line of a record replacing an
/// earlier one. With no state directory, nothing is kept.
/// </summary>
public sealed class StateFile<T>
{
    private readonly string? _path;
    private readonly Lock _lock = new();

    public StateFile(SandboxOptions options, string name)
    {
        if (options.StateDirectory is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, name);
    }

    public IEnumerable<T> ReadAll()
    {
        if (_path is null || !File.Exists(_path)) yield break;
        foreach (var line in File.ReadLines(_path))
            if (line.Length > 0 && JsonSerializer.Deserialize<T>(line) is { } record)
                yield return record;
    }

    public void Append(T record)
    {
        if (_path is null) return;
        lock (_lock) File.AppendAllText(_path, JsonSerializer.Serialize(record) + "\n");
    }
}
