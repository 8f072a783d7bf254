using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Ga4;

public sealed class Ga4Property
{
    [Required] public string Shop { get; set; } = "";

    /// <summary>The numeric property id (without <c>properties/</c>).</summary>
    [Required, RegularExpression(@"^\d+$", ErrorMessage = "Ga4:Properties:n:PropertyId is digits only.")]
    public string PropertyId { get; set; } = "";

    /// <summary>The OAuth access token of an account the property is shared with; or, instead, a <see cref="RefreshToken"/>.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>A refresh token of the <c>GoogleOAuth</c> client: the Connector renews the access token with it before each expires.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Whether the property comes from a connection made at run time (not from the settings).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Connected { get; init; }

    public override string ToString() => $"{Shop}: properties/{PropertyId} (token redacted)";
}
