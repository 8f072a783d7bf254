namespace GrowthOs.ServiceDefaults.Storage;

/// <summary>An archived object being read: its content and its size in bytes.</summary>
public sealed record StoredObject(Stream Content, long Length) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
