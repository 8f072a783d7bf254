using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ApiGateway.Security;

public sealed class ApiKeyEntry
{
    /// <summary>The key's name: what logs, the audit log and the services see instead of the key.</summary>
    [Required(ErrorMessage = "ApiKeys:Keys:n:Id is required.")]
    [RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "ApiKeys:Keys:n:Id must be 1-64 lower-case letters, digits, '.', '_' or '-'.")]
    public string Id { get; set; } = "";

    /// <summary><c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    [Required(ErrorMessage = "ApiKeys:Keys:n:Role is required.")]
    [AllowedValues(Roles.Viewer, Roles.Operator, Roles.Admin, ErrorMessage = "ApiKeys:Keys:n:Role must be viewer, operator or admin.")]
    public string Role { get; set; } = "";

    /// <summary>At least 16 random hex digits of the key's own.</summary>
    [Required(ErrorMessage = "ApiKeys:Keys:n:Salt is required.")]
    [RegularExpression("^[0-9a-f]{16,128}$", ErrorMessage = "ApiKeys:Keys:n:Salt must be 16 to 128 lower-case hex digits.")]
    public string Salt { get; set; } = "";

    [Required(ErrorMessage = "ApiKeys:Keys:n:Sha256 is required.")]
    [RegularExpression("^[0-9a-f]{64}$", ErrorMessage = "ApiKeys:Keys:n:Sha256 must be 64 lower-case hex digits: the SHA-256 of the salt followed by the key.")]
    public string Sha256 { get; set; } = "";

    /// <summary>The shops the key may name; empty for every shop.</summary>
    public List<string> Shops { get; set; } = [];
}
