using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Connections;

/// <summary>A sealed credential: the key it was sealed under, and nonce ‖ ciphertext ‖ tag.</summary>
public sealed record SealedCredentials(string KeyId, byte[] Sealed);
