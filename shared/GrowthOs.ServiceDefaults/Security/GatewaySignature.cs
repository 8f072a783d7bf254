using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace GrowthOs.ServiceDefaults.Security;

/// <summary>
/// How the gateway vouches for a caller to the services behind it: the caller, its role, the shop it authorized, the
/// caller's shops, the time, a nonce, the SHA-256 of the body, and an HMAC-SHA256 under
/// <see cref="GatewayTrustOptions.Secret"/> of those with the method, the path and the query (its parameters in a
/// canonical order, so no re-encoding on the way changes it). A service answers only a call so signed, not older than
/// <see cref="GatewayTrustOptions.MaxSkewSeconds"/>, whose nonce it has not seen in that window, and whose body is the
/// one signed: whatever reaches it around the gateway, is replayed, or has a shop, a query, a caller or a body changed
/// on the way, is refused. A body the gateway streams through without holding it (a replay upload) is signed as
/// <see cref="UnsignedPayload"/>.
/// </summary>
public static class GatewaySignature
{
    public const string CallerHeader = "X-GrowthOs-Caller";
    public const string RoleHeader = "X-GrowthOs-Role";
    public const string ShopHeader = "X-GrowthOs-Shop";
    public const string ShopsHeader = "X-GrowthOs-Shops";
    public const string TimestampHeader = "X-GrowthOs-Timestamp";
    public const string NonceHeader = "X-GrowthOs-Nonce";
    public const string BodyHeader = "X-GrowthOs-Body-Sha256";
    public const string SignatureHeader = "X-GrowthOs-Signature";
    public static readonly string[] Headers = [CallerHeader, RoleHeader, ShopHeader, ShopsHeader, TimestampHeader, NonceHeader, BodyHeader, SignatureHeader];

    /// <summary>What a streamed body is signed as (its bytes are not held to be hashed).</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>The largest body a service hashes to check a signed one.</summary>
    public const int MaxHashedBodyBytes = 1 << 20;

    /// <summary>The hex SHA-256 of no body.</summary>
    public static readonly string EmptyBody = Convert.ToHexStringLower(SHA256.HashData([]));

    /// <summary>
    /// The signed text: timestamp, method, path, canonical query, caller, role, shop, shops, nonce and body hash, a line
    /// each. The query is its parameters sorted by name (ordinal), each value in its order, as <c>name=value</c> escaped
    /// and joined by <c>&amp;</c>.
    /// </summary>
    public static string Sign(string secret, long timestamp, string method, string path, string query, GatewayCaller caller, string nonce, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(
            $"{timestamp}\n{method.ToUpperInvariant()}\n{path}\n{query}\n{caller.Caller}\n{caller.Role}\n{caller.Shop}\n"
            + $"{string.Join(',', caller.Shops)}\n{nonce}\n{body}")));

    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        string.Join('&', query.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}")));

    /// <summary>
    /// Adds the signed headers for <paramref name="caller"/> to a request of <paramref name="method"/> to
    /// <paramref name="path"/> with <paramref name="query"/> and a body whose hex SHA-256 is <paramref name="body"/>
    /// (<see cref="EmptyBody"/>, or <see cref="UnsignedPayload"/> for one streamed through), with a fresh nonce.
    /// </summary>
    public static void Apply(Action<string, string> setHeader, string secret, DateTimeOffset now, string method, string path,
        IEnumerable<KeyValuePair<string, StringValues>> query, GatewayCaller caller, string body)
    {
        var timestamp = now.ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        setHeader(CallerHeader, caller.Caller);
        setHeader(RoleHeader, caller.Role);
        setHeader(ShopHeader, caller.Shop ?? "");
        setHeader(ShopsHeader, string.Join(',', caller.Shops));
        setHeader(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        setHeader(NonceHeader, nonce);
        setHeader(BodyHeader, body);
        setHeader(SignatureHeader, Sign(secret, timestamp, method, path, CanonicalQuery(query), caller, nonce, body));
    }

    /// <summary>
    /// The caller the request's signature vouches for, with its nonce and its signed body hash, or why there is none (a
    /// refusal). The nonce and the body are checked by the caller of this (<see cref="GatewayTrustExtensions.UseGatewayTrust"/>).
    /// </summary>
    public static (GatewayCaller? Caller, string Nonce, string Body, string? Refusal) Verify(HttpRequest request, GatewayTrustOptions options,
        DateTimeOffset now)
    {
        var signature = request.Headers[SignatureHeader].ToString();
        var (nonce, body) = (request.Headers[NonceHeader].ToString(), request.Headers[BodyHeader].ToString());
        if (signature.Length == 0) return (null, nonce, body, "it carries no gateway signature");
        if (!long.TryParse(request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            return (null, nonce, body, "its gateway timestamp is missing or not a number");
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > options.MaxSkewSeconds) return (null, nonce, body, "its gateway signature has expired");
        if (nonce.Length is < 16 or > 64) return (null, nonce, body, "its gateway nonce is missing");
        var shop = request.Headers[ShopHeader].ToString();
        var caller = new GatewayCaller(request.Headers[CallerHeader].ToString(), request.Headers[RoleHeader].ToString(), shop.Length == 0 ? null : shop,
            request.Headers[ShopsHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries));
        var expected = Sign(options.Secret, timestamp, request.Method, request.Path.Value ?? "/", CanonicalQuery(request.Query), caller, nonce, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()))
            ? (caller, nonce, body, null)
            : (null, nonce, body, "its gateway signature does not match");
    }

    /// <summary>Whether the request's body is the one whose hash was signed (a streamed one, signed unsigned, is taken as it comes).</summary>
    public static async Task<bool> BodyMatches(HttpRequest request, string body, CancellationToken cancellationToken)
    {
        if (body == UnsignedPayload) return true;
        if (request.ContentLength > MaxHashedBodyBytes) return false;
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxHashedBodyBytes) return false;
            sha.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha.GetHashAndReset())),
            Encoding.ASCII.GetBytes(body.ToLowerInvariant()));
    }
}
