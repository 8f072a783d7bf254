using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format straight into a buffer that is sent as it fills, through Npgsql's raw
/// binary COPY. It knows the few types the loader writes (bigint, integer, boolean, text, timestamptz, uuid, text[]),
/// and nothing is resolved or boxed per value: on the hot path of a load, a value costs a few bytes' copy. The COPY
/// ends with <see cref="CompleteAsync"/>; disposing without it cancels the COPY.
/// </summary>
public sealed class BinaryCopyWriter : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private const uint TextOid = 25;
    private static ReadOnlySpan<byte> Signature =>
        [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private readonly NpgsqlRawCopyStream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _position;
    private bool _completed;

    private BinaryCopyWriter(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Signature.CopyTo(_buffer);
        _position = Signature.Length;
        Int32Raw(0); // flags
        Int32Raw(0); // header extension length
    }

    /// <summary>Starts <paramref name="copyFromStdinBinary"/>, a <c>COPY ... FROM STDIN (FORMAT BINARY)</c>.</summary>
    public static async Task<BinaryCopyWriter> Begin(NpgsqlConnection connection, string copyFromStdinBinary, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(copyFromStdinBinary, cancellationToken));

    /// <summary>Starts a row of <paramref name="columns"/> values; a row must fit in one buffer (64 KB).</summary>
    public ValueTask StartRow(short columns)
    {
        if (_position > BufferSize - RowReserve) return Flush();
        Int16Raw(columns);
        return ValueTask.CompletedTask;

        async ValueTask Flush()
        {
            await FlushAsync();
            Int16Raw(columns);
        }
    }

    /// <summary>Space kept free at the start of a row; a row larger than this (long texts) still goes through <see cref="Reserve"/>.</summary>
    private const int RowReserve = 8 * 1024;

    public void Null() => Int32(-1);

    public void Bigint(long value)
    {
        Reserve(12);
        Int32Raw(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void Bigint(long? value)
    {
        if (value is { } v) Bigint(v);
        else Null();
    }

    public void Integer(int value)
    {
        Reserve(8);
        Int32Raw(4);
        Int32Raw(value);
    }

    public void Integer(int? value)
    {
        if (value is { } v) Integer(v);
        else Null();
    }

    public void Boolean(bool value)
    {
        Reserve(5);
        Int32Raw(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>A timestamptz, as <see cref="PostgresMicroseconds"/>.</summary>
    public void Timestamp(DateTimeOffset value) => Bigint(PostgresMicroseconds(value));

    /// <summary>A timestamp as PostgreSQL keeps it: microseconds since 2000-01-01 UTC, the ticks truncated as Npgsql does.</summary>
    public static long PostgresMicroseconds(DateTimeOffset value) => (value.UtcTicks - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond;

    public void Timestamp(DateTimeOffset? value)
    {
        if (value is { } v) Timestamp(v);
        else Null();
    }

    public void Uuid(Guid value)
    {
        Reserve(20);
        Int32Raw(16);
        value.TryWriteBytes(_buffer.AsSpan(_position, 16), bigEndian: true, out _);
        _position += 16;
    }

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        if (_position + 4 + Encoding.UTF8.GetMaxByteCount(value.Length) > BufferSize)
        {
            var exact = Encoding.UTF8.GetByteCount(value);
            if (4 + exact > BufferSize)
            {
                WriteLarge(Encoding.UTF8.GetBytes(value));
                return;
            }
            Reserve(4 + exact);
        }
        var length = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position + 4));
        Int32Raw(length);
        _position += length;
    }

    /// <summary>Text already encoded, for a value written on every row (the shop).</summary>
    public void Text(ReadOnlySpan<byte> utf8)
    {
        Reserve(4 + utf8.Length);
        Int32Raw(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_position));
        _position += utf8.Length;
    }

    /// <summary>A value larger than the buffer goes to the stream on its own, after what the buffer holds.</summary>
    private void WriteLarge(byte[] utf8)
    {
        Reserve(BufferSize);
        Int32Raw(utf8.Length);
        _stream.Write(_buffer, 0, _position);
        _position = 0;
        _stream.Write(utf8);
    }

    /// <summary>A one-dimensional text[] without nulls (a null array when <paramref name="values"/> is null).</summary>
    public void TextArray(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            Null();
            return;
        }
        var size = 20;
        foreach (var value in values) size += 4 + Encoding.UTF8.GetByteCount(value);
        Reserve(4 + size);
        Int32Raw(size);
        Int32Raw(1); // dimensions
        Int32Raw(0); // has nulls
        Int32Raw(unchecked((int)TextOid));
        Int32Raw(values.Count);
        Int32Raw(1); // lower bound
        foreach (var value in values)
        {
            var length = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position + 4));
            Int32Raw(length);
            _position += length;
        }
    }

    /// <summary>Sends the trailer and ends the COPY; the server's error, such as a unique violation, is thrown here.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_position > BufferSize - 2) await FlushAsync(cancellationToken);
        Int16Raw(-1);
        await FlushAsync(cancellationToken);
        _completed = true;
        await _stream.DisposeAsync();
    }

    /// <summary>Cancels a COPY that was not completed. It never throws: the error that stopped the writer is the one to report.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_completed) return;
        _completed = true;
        try
        {
            await _stream.CancelAsync();
        }
        catch (Exception)
        {
            // The cancellation is answered with the error that ends the COPY, or the connection is already gone.
        }
        try
        {
            await _stream.DisposeAsync();
        }
        catch (Exception)
        {
            // As above.
        }
    }

    private void Int32(int value)
    {
        Reserve(4);
        Int32Raw(value);
    }

    /// <summary>Makes room for <paramref name="bytes"/>; flushes synchronously only for a row that outgrew <see cref="RowReserve"/>.</summary>
    private void Reserve(int bytes)
    {
        if (_position + bytes <= BufferSize) return;
        if (bytes > BufferSize) throw new InvalidOperationException($"{bytes} bytes do not fit the COPY buffer of {BufferSize} bytes.");
        _stream.Write(_buffer, 0, _position);
        _position = 0;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(_buffer.AsMemory(0, _position), cancellationToken);
        _position = 0;
    }

    private void Int32Raw(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    private void Int16Raw(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), value);
        _position += 2;
    }
}
