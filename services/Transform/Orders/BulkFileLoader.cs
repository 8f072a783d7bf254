using System.Buffers;
using System.IO.Pipelines;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace GrowthOs.Transform.Orders;

public sealed class UpsertOptions
{
    public const string Section = "Upsert";

    /// <summary>Records per chunk; each chunk commits in its own transaction.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Upsert:ChunkSize must be between 1 and 1000000.")]
    public int ChunkSize { get; set; } = 5_000;
}

public sealed record LoadSummary(long Orders, long LineItems, long Rejected, long Lines, DateTimeOffset? MaxUpdatedAt, DateOnly? FirstOrderDate, DateOnly? LastOrderDate);

/// <summary>
/// Streams a bulk JSONL file line by line and upserts it chunk by chunk; memory holds one chunk whatever the file size.
/// A malformed line stops the load with its line number; the chunk it was in is not committed.
/// </summary>
public sealed class BulkFileLoader(OrderUpserter upserter, IOptions<UpsertOptions> options)
{
    public async Task<LoadSummary> Load(Stream jsonl, string shop, Guid runId, CancellationToken cancellationToken, int? chunkSize = null)
    {
        var size = chunkSize ?? options.Value.ChunkSize;
        var chunk = new OrderChunk();
        var reader = PipeReader.Create(jsonl, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        long lineNumber = 0, orders = 0, lineItems = 0, rejected = 0;
        DateTimeOffset? maxUpdatedAt = null;
        DateOnly? firstDate = null, lastDate = null;

        void Handle(ReadOnlySequence<byte> line)
        {
            lineNumber++;
            if (IsBlank(line)) return;
            var result = line.IsSingleSegment ? BulkLineParser.Parse(line.FirstSpan, lineNumber) : BulkLineParser.Parse(line.ToArray(), lineNumber);
            switch (result)
            {
                case BulkLineParser.Order { Record: var order }:
                    chunk.Orders.Add(order);
                    orders++;
                    if (maxUpdatedAt is null || order.UpdatedAt > maxUpdatedAt) maxUpdatedAt = order.UpdatedAt;
                    var date = DateOnly.FromDateTime(order.CreatedAt.UtcDateTime);
                    if (firstDate is null || date < firstDate) firstDate = date;
                    if (lastDate is null || date > lastDate) lastDate = date;
                    break;
                case BulkLineParser.LineItem { Record: var item }:
                    chunk.LineItems.Add(item);
                    lineItems++;
                    break;
                case BulkLineParser.Rejected { Record: var record }:
                    chunk.Rejected.Add(record);
                    rejected++;
                    break;
            }
        }

        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    Handle(buffer.Slice(0, end));
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (chunk.Count >= size)
                    {
                        await upserter.Upsert(shop, runId, chunk, cancellationToken);
                        chunk.Clear();
                    }
                }
                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty) Handle(buffer);
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            if (chunk.Count > 0) await upserter.Upsert(shop, runId, chunk, cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
        }
        return new LoadSummary(orders, lineItems, rejected, lineNumber, maxUpdatedAt, firstDate, lastDate);
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
            foreach (var b in segment.Span)
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t')) return false;
        return true;
    }
}
