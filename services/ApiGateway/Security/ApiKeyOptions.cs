using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ApiGateway.Security;

public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";
    public const string HeaderName = "X-Api-Key";

    /// <summary>Accepted keys. Supply them from a secret or the environment (<c>ApiKeys__Keys__0</c>), never a committed file.</summary>
    [MinLength(1, ErrorMessage = "ApiKeys:Keys must hold at least one API key (for example ApiKeys__Keys__0 in the environment).")]
    public List<string> Keys { get; set; } = [];

    /// <summary>Shortest key accepted in configuration, so a placeholder cannot become a real key.</summary>
    [Range(16, 1024, ErrorMessage = "ApiKeys:MinimumLength must be between 16 and 1024.")]
    public int MinimumLength { get; set; } = 24;
}
