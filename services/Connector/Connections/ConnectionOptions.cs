using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Connections;

public sealed class ConnectionOptions : IValidatableObject
{
    public const string Section = "Connections";

    /// <summary>
    /// The keys credentials are sealed with (from a secret, never a committed file): the first seals, every one opens. To
    /// rotate, put a new key first and keep the old one after it: every replica seals again, in the background, what the old
    /// key sealed; once no row of <c>connector.connection</c> names the old key in <c>credential_key_id</c>, it can go.
    /// </summary>
    public List<EncryptionKey> EncryptionKeys { get; set; } = [];

    /// <summary>A connection's daily sync when none is given: a minute within these hours on the shop's own clocks, staggered by the shop.</summary>
    [Range(0, 23, ErrorMessage = "Connections:DefaultSyncFromHour must be between 0 and 23.")]
    public int DefaultSyncFromHour { get; set; } = 5;

    [Range(1, 24, ErrorMessage = "Connections:DefaultSyncHours must be between 1 and 24.")]
    public int DefaultSyncHours { get; set; } = 3;

    /// <summary>How often a connection left pending (its provider was down at its check) is checked again.</summary>
    [Range(1, 86_400, ErrorMessage = "Connections:RecheckSeconds must be between 1 and 86400.")]
    public int RecheckSeconds { get; set; } = 60;

    /// <summary>How long <c>DELETE …?purge=true</c> waits for every service's answer before it answers 202 with where to read the rest.</summary>
    [Range(0, 120, ErrorMessage = "Connections:PurgeWaitSeconds must be between 0 and 120.")]
    public int PurgeWaitSeconds { get; set; } = 20;

    /// <summary>
    /// How long after a purge every service is asked once more to remove what it holds of the shop: what a run under way
    /// at the purge wrote after it (a download's file, a load's rows). The shop is kept until then, and forgotten after.
    /// </summary>
    [Range(1, 86_400, ErrorMessage = "Connections:PurgeSweepAgainSeconds must be between 1 and 86400.")]
    public int PurgeSweepAgainSeconds { get; set; } = 600;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EncryptionKeys.Count == 0)
            yield return new ValidationResult(
                "Connections:EncryptionKeys must hold at least one key (Id, and Key: 32 random bytes in base64) that seals the connections' credentials.");
        for (var i = 0; i < EncryptionKeys.Count; i++)
        {
            var key = EncryptionKeys[i];
            if (string.IsNullOrWhiteSpace(key.Id) || key.Id.Length > 64)
                yield return new ValidationResult($"Connections:EncryptionKeys:{i}:Id is required (64 characters at most).");
            if (key.Bytes() is null)
                yield return new ValidationResult($"Connections:EncryptionKeys:{i}:Key must be 32 bytes in base64 (openssl rand -base64 32).");
        }
        if (EncryptionKeys.GroupBy(k => k.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            yield return new ValidationResult($"Connections:EncryptionKeys names the key id '{twice.Key}' twice.");
    }
}
