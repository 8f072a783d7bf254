using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Meta;

public sealed class MetaAccount
{
    [Required] public string Shop { get; set; } = "";

    /// <summary>The ad account id, digits only (without <c>act_</c>).</summary>
    [Required, RegularExpression(@"^\d+$", ErrorMessage = "Meta:Accounts:n:AdAccountId is digits only, without act_.")]
    public string AdAccountId { get; set; } = "";

    [Required] public string AccessToken { get; set; } = "";

    /// <summary>Whether the account comes from a connection made at run time (not from the settings).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Connected { get; init; }

    public override string ToString() => $"{Shop}: act_{AdAccountId} (token redacted)";
}
