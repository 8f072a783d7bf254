using System.Security.Cryptography;
using System.Text;

namespace GrowthOs.ServiceDefaults.Privacy;

/// <summary>
/// The one way an e-mail address becomes what the system keeps of it: trimmed, lower-cased (invariant), UTF-8, SHA-256,
/// lower-case hex. The Connector hashes addresses before anything is archived, and the Transform hashes any plain address
/// that reaches it, so the same customer has the same hash whichever service saw the address.
/// </summary>
public static class EmailHash
{
    public static string Sha256(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    public static string Sha256(ReadOnlySpan<byte> utf8Email) => Sha256(Encoding.UTF8.GetString(utf8Email));
}
