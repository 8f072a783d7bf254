using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// The API keys the gateway accepts. A key is held only as a salted hash: <see cref="ApiKeyEntry.Sha256"/> is the
/// lower-case hex SHA-256 of the UTF-8 bytes of <see cref="ApiKeyEntry.Salt"/> followed by the key
/// (<c>deploy/local/new-api-key.sh</c> makes one). Supply them from a secret or the environment
/// (<c>ApiKeys__Keys__0__Id</c>, <c>__Role</c>, <c>__Salt</c>, <c>__Sha256</c>, <c>__Shops__0</c>).
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";
    public const string HeaderName = "X-Api-Key";

    [MinLength(1, ErrorMessage = "ApiKeys:Keys must hold at least one API key "
        + "(for example ApiKeys__Keys__0__Id, __Role, __Salt and __Sha256 in the environment).")]
    public List<ApiKeyEntry> Keys { get; set; } = [];
}
