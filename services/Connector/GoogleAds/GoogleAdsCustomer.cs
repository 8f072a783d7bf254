using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.GoogleAds;

public sealed class GoogleAdsCustomer
{
    [Required] public string Shop { get; set; } = "";

    /// <summary>Ten digits, without dashes.</summary>
    [Required, RegularExpression(@"^\d{10}$", ErrorMessage = "GoogleAds:Customers:n:CustomerId is ten digits without dashes.")]
    public string CustomerId { get; set; } = "";

    /// <summary>The manager account the customer is reached through, sent as <c>login-customer-id</c>.</summary>
    public string? LoginCustomerId { get; set; }

    /// <summary>The OAuth access token (from a secret or the environment); or, instead, a <see cref="RefreshToken"/>.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>A refresh token of the <c>GoogleOAuth</c> client: the Connector renews the access token with it before each expires.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Whether the customer comes from a connection made at run time (not from the settings).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Connected { get; init; }

    public override string ToString() => $"{Shop}: {CustomerId} (token redacted)";
}
