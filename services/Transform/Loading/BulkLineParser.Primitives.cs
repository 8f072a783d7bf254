using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GrowthOs.Transform.Loading;

/// <summary>The parser's primitives: reading JSON values, money, timestamps and GIDs from the line's bytes.</summary>
public static partial class BulkLineParser
{
    /// <summary>The <c>available</c> quantity of an inventory level's <c>quantities(names: ["available"])</c>.</summary>
    private static int? ReadAvailable(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray);
        int? available = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var isAvailable = false;
            int? quantity = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("name"u8))
                {
                    isAvailable = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("available"u8);
                    reader.Skip();
                }
                else if (name.SequenceEqual("quantity"u8)) quantity = Int(ref reader);
                else reader.Skip();
            }
            if (isAvailable) available = quantity;
        }
        return available;
    }

    private static void ReadEmail(ref Utf8JsonReader reader, out Slice plain, out Slice sha256)
    {
        plain = sha256 = default;
        if (reader.TokenType == JsonTokenType.Null) return;
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (name.SequenceEqual("emailAddressSha256"u8)) sha256 = String(ref reader);
            else if (name.SequenceEqual("emailAddress"u8)) plain = String(ref reader);
            else reader.Skip();
        }
    }

    private static bool ReadMoney(ref Utf8JsonReader reader, out Slice amount, out Slice currency)
    {
        amount = currency = default;
        if (reader.TokenType == JsonTokenType.Null) return false;
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (name.SequenceEqual("amount"u8))
                amount = reader.TokenType == JsonTokenType.Number ? new Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length) : String(ref reader);
            else if (name.SequenceEqual("currencyCode"u8)) currency = String(ref reader);
            else reader.Skip();
        }
        return true;
    }

    /// <summary>The <c>id</c> of a reference such as <c>customer { id }</c>.</summary>
    private static Slice ReferenceId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return default;
        Expect(ref reader, JsonTokenType.StartObject);
        Slice id = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (name.SequenceEqual("id"u8)) id = String(ref reader);
            else reader.Skip();
        }
        return id;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            var found = reader.TokenType;
            reader.Skip();
            throw new InvalidRecordException($"expected {type} but found {found}.");
        }
    }

    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader) => reader.ValueIsEscaped ? Unescaped(ref reader) : reader.ValueSpan;

    /// <summary>Where a string value lies (unescaped); empty for null. Any other token is not a string field.</summary>
    private static Slice String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String when reader.ValueIsEscaped => new Slice(0, reader.ValueSpan.Length, Unescaped(ref reader)),
        JsonTokenType.String => new Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length),
        JsonTokenType.Null => default,
        _ => throw new InvalidRecordException($"a {reader.TokenType} where a string was expected."),
    };

    private static byte[] Unescaped(ref Utf8JsonReader reader)
    {
        var buffer = new byte[reader.ValueSpan.Length];
        return buffer.AsSpan(0, reader.CopyString(buffer)).ToArray();
    }

    private static int? Int(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var number) => number,
        JsonTokenType.Null => null,
        _ => throw new InvalidRecordException($"a {reader.TokenType} where a whole number was expected."),
    };

    /// <summary>Shopify writes UnsignedInt64 as a string; a number is accepted too.</summary>
    private static long? UnsignedInt64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) && number >= 0 => number,
        JsonTokenType.String
            when Utf8Parser.TryParse(reader.ValueSpan, out long number, out var consumed) && consumed == reader.ValueSpan.Length && number >= 0 => number,
        JsonTokenType.Null => null,
        _ => throw new InvalidRecordException("an UnsignedInt64 that is not a whole number."),
    };

    private static long ShopMoney(in MoneyBag bag, ReadOnlySpan<byte> line, string name, string currency, bool required)
    {
        if (!bag.HasShop) return required ? throw new InvalidRecordException($"{name}.shopMoney is missing.") : 0;
        return Amount(bag.ShopAmount.In(line), bag.ShopCurrency.In(line), name, currency);
    }

    private static long PresentmentMoney(in MoneyBag bag, ReadOnlySpan<byte> line, string name, string currency) =>
        bag.HasPresentment
            ? Amount(bag.PresentmentAmount.In(line), bag.PresentmentCurrency.In(line), name,
                bag.PresentmentCurrency.IsEmpty ? currency : Text.Of(bag.PresentmentCurrency.In(line)))
            : 0;

    private static long Amount(ReadOnlySpan<byte> amount, ReadOnlySpan<byte> code, string name, string currency)
    {
        if (!code.IsEmpty && !Ascii.EqualsIgnoreCase(code, currency))
            throw new InvalidRecordException($"{name} is in {Encoding.UTF8.GetString(code)}, expected {currency}.");
        return Money.TryToMinorUnits(amount, currency, out var minor)
            ? minor
            : throw new InvalidRecordException($"{name} amount '{Encoding.UTF8.GetString(amount)}' is not a valid {currency} amount.");
    }

    /// <summary>A decimal amount kept as text, checked to be one (its currency is not known yet).</summary>
    private static string ValidAmount(ReadOnlySpan<byte> amount, string name) =>
        Money.TryToMinorUnits(amount, "XTS", out _) || Money.TryToMinorUnits(amount, "BHD", out _)
            ? Encoding.UTF8.GetString(amount)
            : throw new InvalidRecordException($"{name} '{Encoding.UTF8.GetString(amount)}' is not an amount.");

    private static string Required(ReadOnlySpan<byte> value, string name) =>
        value.IsEmpty ? throw new InvalidRecordException($"{name} is missing.") : Text.Of(value);

    private static DateTimeOffset RequiredTimestamp(ReadOnlySpan<byte> value, string name) =>
        Timestamp(value, name) ?? throw new InvalidRecordException($"{name} is missing.");

    /// <summary>
    /// ISO 8601 as Shopify writes it (<c>2026-11-01T23:59:59Z</c>) read directly; any other valid form through the
    /// general parser. Always UTC.
    /// </summary>
    private static DateTimeOffset? Timestamp(ReadOnlySpan<byte> value, string name)
    {
        if (value.IsEmpty) return null;
        if (value.Length == 20 && value[19] == (byte)'Z' && value[4] == (byte)'-' && value[7] == (byte)'-' && value[10] == (byte)'T'
            && value[13] == (byte)':' && value[16] == (byte)':'
            && Digits(value, 0, 4, out var year) && Digits(value, 5, 2, out var month) && Digits(value, 8, 2, out var day)
            && Digits(value, 11, 2, out var hour) && Digits(value, 14, 2, out var minute) && Digits(value, 17, 2, out var second)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year == 0 ? 1 : year, month)
            && hour < 24 && minute < 60 && second < 60 && year > 0)
            return new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        var text = Encoding.UTF8.GetString(value);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : throw new InvalidRecordException($"{name} '{text}' is not a timestamp.");
    }

    private static bool Digits(ReadOnlySpan<byte> value, int start, int length, out int number)
    {
        number = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = value[i] - (byte)'0';
            if ((uint)digit > 9) return false;
            number = number * 10 + digit;
        }
        return true;
    }

    /// <summary>The number of a GID such as <c>gid://shopify/Order/123</c> (a <c>?query</c> after it is ignored), read without allocating.</summary>
    private static long? GidNumber(ReadOnlySpan<byte> gid, ReadOnlySpan<byte> prefix)
    {
        if (!gid.StartsWith(prefix)) return null;
        var tail = gid[prefix.Length..];
        var query = tail.IndexOf((byte)'?');
        if (query >= 0) tail = tail[..query];
        return tail.Length > 0 && Utf8Parser.TryParse(tail, out long number, out var consumed) && consumed == tail.Length && number >= 0 ? number : null;
    }


    /// <summary>
    /// Strings of few distinct values (currency codes, statuses, channels, vendors) are shared rather than allocated per
    /// line; other text is allocated.
    /// </summary>
    private static class Text
    {
        private const int Capacity = 256;
        [ThreadStatic] private static Dictionary<int, string[]>? _shared;

        public static string Of(ReadOnlySpan<byte> value)
        {
            if (value.Length > 32) return Encoding.UTF8.GetString(value);
            var shared = _shared ??= new Dictionary<int, string[]>();
            var hash = HashOf(value);
            if (shared.TryGetValue(hash, out var candidates))
                foreach (var candidate in candidates)
                    if (Matches(candidate, value)) return candidate;
            var text = Encoding.UTF8.GetString(value);
            if (shared.Count < Capacity) shared[hash] = candidates is null ? [text] : [.. candidates, text];
            return text;
        }

        public static string? OfNullable(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Of(value);

        public static string New(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

        public static string? NewOrNull(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Encoding.UTF8.GetString(value);

        private static int HashOf(ReadOnlySpan<byte> value)
        {
            var hash = new HashCode();
            hash.AddBytes(value);
            return hash.ToHashCode();
        }

        private static bool Matches(string candidate, ReadOnlySpan<byte> value)
        {
            if (candidate.Length != value.Length) return false;
            for (var i = 0; i < value.Length; i++)
                if (candidate[i] != value[i]) return false;
            return true;
        }
    }
}
