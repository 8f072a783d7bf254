using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace GrowthOs.Transform.Api;

/// <summary>
/// A position in the orders list (newest first): the last order of a page by its creation time, shop and id, written as
/// base64url text for a client to pass back whole.
/// </summary>
public sealed record OrderCursor(DateTimeOffset CreatedAt, string Shop, long OrderId)
{
    private const int MaxLength = 512;

    public static string Of(DateTimeOffset createdAt, string shop, long orderId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcTicks}|{orderId}|{shop}")));

    /// <summary>True for no cursor (null) or a well-formed one; false for anything else.</summary>
    public static bool TryParse(string? text, out OrderCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (text.Length > MaxLength || !Base64Url.IsValid(text)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = decoded.Split('|', 3);
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var orderId)
            || parts[2].Length == 0)
            return false;
        cursor = new OrderCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[2], orderId);
        return true;
    }
}
