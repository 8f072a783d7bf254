using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Storage;

/// <summary>An archived object being read: its content and its size in bytes.</summary>
public sealed record StoredObject(Stream Content, long Length) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
