namespace GrowthOs.Connector.Connections;

/// <summary>A sealed credential: the key it was sealed under, and nonce ‖ ciphertext ‖ tag.</summary>
public sealed record SealedCredentials(string KeyId, byte[] Sealed);
