using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Commerce;

/// <summary>What the outbox says of an order version, computed by the loader for a version it knows to be the order's first.</summary>
public static class OrderEvents
{
    /// <summary>
    /// The event id of an order version, as <c>transform.order_event_id</c> (migration 016) computes it for the upsert:
    /// the order id (8 bytes, big-endian), then the first 8 bytes of the MD5 of <c>shop/orderId/updatedAt</c>,
    /// updatedAt in microseconds since the Unix epoch as PostgreSQL stores it.
    /// </summary>
    public static Guid IdOf(ReadOnlySpan<byte> shopUtf8, long orderId, DateTimeOffset updatedAt)
    {
        // The microseconds PostgreSQL keeps of the timestamp the COPY sent, counted from the Unix epoch.
        var micros = BinaryCopyWriter.PostgresMicroseconds(updatedAt) + PostgresEpochUnixMicros;
        Span<byte> text = stackalloc byte[shopUtf8.Length + 42];
        shopUtf8.CopyTo(text);
        var length = shopUtf8.Length;
        text[length++] = (byte)'/';
        Utf8Formatter.TryFormat(orderId, text[length..], out var written);
        length += written;
        text[length++] = (byte)'/';
        Utf8Formatter.TryFormat(micros, text[length..], out written);
        length += written;
        Span<byte> id = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(text[..length], id);
        id[..8].CopyTo(id[8..]);
        BinaryPrimitives.WriteInt64BigEndian(id, orderId);
        return new Guid(id, bigEndian: true);
    }

    /// <summary>The changes an order's first version reports: created, and fulfilled, refunded or cancelled when it already is.</summary>
    public static string[] ChangesOfFirstVersion(OrderRecord order) =>
        FirstVersionChanges[(order.FulfillmentStatus == "FULFILLED" ? 1 : 0)
            | (order.TotalRefundedMinor > 0 ? 2 : 0)
            | (order.CancelledAt is not null ? 4 : 0)];

    /// <summary>Every combination, indexed by the bits fulfilled (1), refunded (2) and cancelled (4), in the order the upsert lists them.</summary>
    private static readonly string[][] FirstVersionChanges = Enumerable.Range(0, 8)
        .Select(bits => new[] { "created", (bits & 1) != 0 ? "fulfilled" : null, (bits & 2) != 0 ? "refunded" : null, (bits & 4) != 0 ? "cancelled" : null }
            .OfType<string>().ToArray())
        .ToArray();
    private static readonly long PostgresEpochUnixMicros = -BinaryCopyWriter.PostgresMicroseconds(DateTimeOffset.UnixEpoch);
}
