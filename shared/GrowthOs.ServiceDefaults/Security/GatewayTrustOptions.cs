using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ServiceDefaults.Security;

/// <summary>The secret the gateway signs its calls to the services with, and how old a signature may be.</summary>
public sealed class GatewayTrustOptions
{
    public const string Section = "Gateway";

    /// <summary>Shared by the gateway and the services behind it (from a secret or the environment, never a default).</summary>
    [Required(ErrorMessage = "Gateway:Secret is required: the key the gateway signs its calls to the services with.")]
    [MinLength(32, ErrorMessage = "Gateway:Secret must be at least 32 characters.")]
    public string Secret { get; set; } = "";

    [Range(5, 3_600, ErrorMessage = "Gateway:MaxSkewSeconds must be between 5 and 3600.")]
    public int MaxSkewSeconds { get; set; } = 300;
}
