using System.Security.Cryptography;
using GrowthOs.ServiceDefaults.Hosting;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// The state nonces of Shopify's install flow and of Google's consent flow (<c>connector.install_state</c>): made when a
/// caller starts one, bound to the caller, the shop and (for Google) the account, and taken once by the callback. And the
/// answer that sends the person's browser to the provider's consent page.
/// </summary>
public static class InstallStates
{
    public sealed record AuthorizeAnswer(string AuthorizeUrl, DateTimeOffset StateExpiresAt);

    /// <summary>Makes a state of <paramref name="provider"/> for <paramref name="shop"/> (and its account), alive <paramref name="maxAge"/>.</summary>
    public static async Task<(string State, DateTimeOffset ExpiresAt)> Make(NpgsqlDataSource dataSource, TimeProvider clock, TimeSpan maxAge, string shop,
        string caller, string provider, string? account, string? loginCustomerId, CancellationToken cancellationToken)
    {
        var state = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var expiresAt = clock.GetUtcNow() + maxAge;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO connector.install_state (state, shop_domain, caller, expires_at, provider, account, login_customer_id)
            VALUES (@state, @shop, @caller, @expires, @provider, @account, @login)
            """);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("caller", caller);
        command.Parameters.AddWithValue("expires", expiresAt);
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("account", (object?)account ?? DBNull.Value);
        command.Parameters.AddWithValue("login", (object?)loginCustomerId ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (state, expiresAt);
    }

    /// <summary>A page asks for the consent page's address (<c>Accept: application/json</c>); a browser is sent there.</summary>
    public static IResult SendTo(HttpContext http, string url, DateTimeOffset stateExpiresAt) =>
        http.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.Json(new AuthorizeAnswer(url, stateExpiresAt), ApiJson.Options)
            : TypedResults.Redirect(url);
}
