namespace GrowthOs.ApiGateway.Security;

/// <summary>The hex SHA-256 of a body the gateway held whole (a small JSON body it read, a webhook's), which it signs for the service behind.</summary>
public sealed record RequestBodyDigest(string Sha256)
{
    public static RequestBodyDigest Of(ReadOnlySpan<byte> body) => new(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)));
}
