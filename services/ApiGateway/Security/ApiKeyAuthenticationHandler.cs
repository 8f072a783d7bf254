using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c>: the presented key is hashed with the salt of each key of the
/// settings and each live key made at run time (<see cref="ApiKeyStore"/>), and compared with its hash in constant time. The caller
/// becomes a principal named by the key's id, with its role and the shops it is limited to; the key itself goes no further than this
/// handler.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ApiKeyOptions> keys, ApiKeyStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ShopClaim = "growthos:shop";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyOptions.HeaderName, out var values) || string.IsNullOrEmpty(values.ToString()))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (Match(keys.Value.Keys.Concat(store.Live.Select(k => k.Entry)), values.ToString()) is not { } key)
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Id), new(ClaimTypes.Role, key.Role) };
        claims.AddRange(key.Shops.Select(shop => new Claim(ShopClaim, ShopDomains.Normalize(shop))));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>The configured key whose salted hash the presented key has; every key is hashed, so the time taken tells nothing.</summary>
    internal static ApiKeyEntry? Match(IEnumerable<ApiKeyEntry> configured, string presented)
    {
        ApiKeyEntry? match = null;
        foreach (var key in configured)
        {
            var hash = Hash(key.Salt, presented);
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(key.Sha256))) match = key;
        }
        return match;
    }

    /// <summary>SHA-256 of the UTF-8 bytes of the salt followed by the key.</summary>
    internal static byte[] Hash(string salt, string key) => SHA256.HashData(Encoding.UTF8.GetBytes(salt + key));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyOptions.HeaderName}\"";
        return Context.WriteProblem(StatusCodes.Status401Unauthorized, "Unauthorized", Request.Headers.ContainsKey(ApiKeyOptions.HeaderName)
            ? "The API key is not valid."
            : $"An API key is required in the {ApiKeyOptions.HeaderName} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Context.WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "This API key may not do this.");
}
