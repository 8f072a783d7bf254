using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Klaviyo;

public sealed class KlaviyoAccount
{
    [Required] public string Shop { get; set; } = "";

    /// <summary>The account's private API key (<c>pk_…</c>), read-only scopes enough: from a secret or the environment, never a committed file.</summary>
    [Required] public string PrivateKey { get; set; } = "";

    /// <summary>The account's id (its public API key) when a connection names it; the settings' accounts are known by their key alone.</summary>
    public string? AccountId { get; set; }

    /// <summary>Whether the account comes from a connection made at run time (not from the settings).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Connected { get; init; }

    public override string ToString() => $"{Shop}: Klaviyo (key redacted)";
}
