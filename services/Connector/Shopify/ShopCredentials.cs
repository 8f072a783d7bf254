using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Shopify;

public sealed class ShopCredentials
{
    [Required(ErrorMessage = "Shopify:Shops:n:Domain is required.")]
    public string Domain { get; set; } = "";

    [Required(ErrorMessage = "Shopify:Shops:n:AccessToken is required.")]
    public string AccessToken { get; set; } = "";

    public override string ToString() => $"{Domain} (token redacted)";
}
