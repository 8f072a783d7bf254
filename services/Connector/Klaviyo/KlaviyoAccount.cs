using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Klaviyo;

public sealed class KlaviyoAccount
{
    [Required] public string Shop { get; set; } = "";

    /// <summary>The account's private API key (<c>pk_…</c>), read-only scopes enough: from a secret or the environment, never a committed file.</summary>
    [Required] public string PrivateKey { get; set; } = "";

    public override string ToString() => $"{Shop}: Klaviyo (key redacted)";
}
