using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Seals credentials with AES-256-GCM under the first of <see cref="ConnectionOptions.EncryptionKeys"/>, and opens them
/// under whichever key sealed them. Each is bound to its connection and provider (the associated data), so a sealed
/// credential copied onto another row does not open. A database dump alone reveals no token.
/// </summary>
public sealed class CredentialCipher
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly Dictionary<string, byte[]> _keys;

    public CredentialCipher(IOptions<ConnectionOptions> options)
    {
        var keys = options.Value.EncryptionKeys;
        ActiveKeyId = keys[0].Id;
        _keys = keys.ToDictionary(k => k.Id, k => k.Bytes()!);
    }

    /// <summary>The key new and re-sealed credentials are sealed under.</summary>
    public string ActiveKeyId { get; }

    public bool Knows(string keyId) => _keys.ContainsKey(keyId);

    public SealedCredentials Seal(Guid connectionId, string provider, Credentials credentials)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(credentials);
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_keys[ActiveKeyId], TagBytes))
            aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length), Associated(connectionId, provider));
        CryptographicOperations.ZeroMemory(plain);
        return new SealedCredentials(ActiveKeyId, output);
    }

    /// <summary>The credentials, or an exception naming why they do not open (an unknown key, a changed or moved ciphertext): never their content.</summary>
    public Credentials Open(Guid connectionId, string provider, SealedCredentials sealedCredentials)
    {
        if (!_keys.TryGetValue(sealedCredentials.KeyId, out var key))
            throw new CredentialsUnavailableException(
                $"The credentials of connection {connectionId} are sealed under key '{sealedCredentials.KeyId}', "
                + $"which is not one of Connections:EncryptionKeys.");
        var data = sealedCredentials.Sealed;
        if (data.Length < NonceBytes + TagBytes)
            throw new CredentialsUnavailableException($"The sealed credentials of connection {connectionId} are truncated.");
        var plain = new byte[data.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(data.AsSpan(0, NonceBytes), data.AsSpan(NonceBytes, plain.Length), data.AsSpan(NonceBytes + plain.Length), plain,
                Associated(connectionId, provider));
            return JsonSerializer.Deserialize<Credentials>(plain)
                ?? throw new CredentialsUnavailableException($"The credentials of connection {connectionId} are empty.");
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CredentialsUnavailableException($"The sealed credentials of connection {connectionId} do not open under key '{sealedCredentials.KeyId}': "
                + $"changed, or not this connection's.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static byte[] Associated(Guid connectionId, string provider) => Encoding.UTF8.GetBytes($"growthos-connection:{connectionId:N}:{provider}");
}
