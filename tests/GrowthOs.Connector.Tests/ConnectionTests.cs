using System.Net;
using System.Text;
using GrowthOs.Connector.Connections;
using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>The sealing of connections' credentials, their check against Shopify's documented answers, and their default schedule.</summary>
public sealed class ConnectionTests
{
    private const string Shop = "contract-shop.myshopify.com";
    private const string Token = "shpat_connection_token_never_in_the_clear";

    private static EncryptionKey Key(string id) =>
        new() { Id = id, Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) };

    private static CredentialCipher Cipher(params EncryptionKey[] keys) => new(Options.Create(new ConnectionOptions { EncryptionKeys = [.. keys] }));

    [Fact]
    public void Sealed_credentials_open_to_their_own_connection_only_and_hold_no_token_in_the_clear()
    {
        var cipher = Cipher(Key("k1"));
        var id = Guid.NewGuid();
        var sealedCredentials = cipher.Seal(id, ConnectionProviders.Shopify, new Credentials(Token, "refresh-token-value"));

        Assert.Equal("k1", sealedCredentials.KeyId);
        Assert.DoesNotContain("shpat_", Encoding.UTF8.GetString(sealedCredentials.Sealed));
        Assert.Equal((Token, "refresh-token-value"),
            (cipher.Open(id, ConnectionProviders.Shopify, sealedCredentials) is var open ? (open.AccessToken, open.RefreshToken) : default));
        // Sealing the same credentials twice gives two ciphertexts (a nonce each).
        Assert.NotEqual(sealedCredentials.Sealed, cipher.Seal(id, ConnectionProviders.Shopify, new Credentials(Token, "refresh-token-value")).Sealed);

        // Copied onto another connection's row, or read as another provider's, it does not open; nor once a byte changed.
        var moved = Assert.Throws<CredentialsUnavailableException>(() => cipher.Open(Guid.NewGuid(), ConnectionProviders.Shopify, sealedCredentials));
        Assert.DoesNotContain(Token, moved.Message);
        Assert.Throws<CredentialsUnavailableException>(() => cipher.Open(id, ConnectionProviders.Meta, sealedCredentials));
        var changed = sealedCredentials.Sealed.ToArray();
        changed[20] ^= 1;
        Assert.Throws<CredentialsUnavailableException>(() => cipher.Open(id, ConnectionProviders.Shopify, sealedCredentials with { Sealed = changed }));
        Assert.Equal("credentials (redacted)", new Credentials(Token).ToString());
    }

    [Fact]
    public void A_rotated_key_seals_new_credentials_and_the_old_one_still_opens_what_it_sealed_until_it_is_removed()
    {
        var (old, @new) = (Key("2026-01"), Key("2026-12"));
        var id = Guid.NewGuid();
        var underOld = Cipher(old).Seal(id, ConnectionProviders.Shopify, new Credentials(Token));

        var rotated = Cipher(@new, old);
        Assert.Equal(Token, rotated.Open(id, ConnectionProviders.Shopify, underOld).AccessToken);
        var resealed = rotated.Seal(id, ConnectionProviders.Shopify, rotated.Open(id, ConnectionProviders.Shopify, underOld));
        Assert.Equal("2026-12", resealed.KeyId);

        var retired = Cipher(@new);
        Assert.Equal(Token, retired.Open(id, ConnectionProviders.Shopify, resealed).AccessToken);
        var refused = Assert.Throws<CredentialsUnavailableException>(() => retired.Open(id, ConnectionProviders.Shopify, underOld));
        Assert.Contains("'2026-01'", refused.Message);
    }

    [Theory]
    [InlineData("", "Connections:EncryptionKeys must hold at least one key")]
    [InlineData("short", "Connections:EncryptionKeys:0:Key must be 32 bytes in base64")]
    public void Encryption_keys_that_cannot_seal_are_refused_at_start(string key, string expected)
    {
        var options = new ConnectionOptions
        {
            EncryptionKeys = key.Length == 0 ? [] : [new EncryptionKey { Id = "k", Key = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)) }],
        };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();
        Assert.Contains(errors, e => e!.StartsWith(expected, StringComparison.Ordinal));
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static (ConnectionChecks Checks, Answer Handler) Checks(HttpStatusCode status, string body)
    {
        var handler = new Answer(status, body);
        // No token in the settings: the check uses the one being connected.
        var options = Options.Create(new ShopifyOptions { BaseUrlTemplate = "https://{shop}", ApiVersion = "2026-01" });
        return (new ConnectionChecks(new ShopifyGraphQlClient(new HttpClient(handler), options, new ThrottleGate(TimeProvider.System),
            NullLogger<ShopifyGraphQlClient>.Instance)), handler);
    }

    [Fact]
    public async Task A_shop_is_checked_with_the_token_being_connected_and_keeps_its_name_currency_zone_and_plan()
    {
        var (checks, handler) = Checks(HttpStatusCode.OK, Fixture("shop.json"));
        var result = await checks.Check(ConnectionProviders.Shopify, Shop, new Credentials(Token), CancellationToken.None);

        Assert.Equal(CheckResult.Active("Snowdevil", "CAD", "America/Toronto", "Grow", null), result);
        Assert.Equal($"https://{Shop}/admin/api/2026-01/graphql.json", handler.Request!.RequestUri!.ToString());
        Assert.Equal(Token, handler.Request.Headers.GetValues("X-Shopify-Access-Token").Single());
        Assert.Contains("ianaTimezone", handler.Body);
    }

    [Fact]
    public async Task A_refused_token_fails_the_check_in_shopifys_words_and_an_outage_leaves_it_pending()
    {
        var (refusing, _) = Checks(HttpStatusCode.Unauthorized, Fixture("invalid_access_token.json"));
        var refused = await refusing.Check(ConnectionProviders.Shopify, Shop, new Credentials(Token), CancellationToken.None);
        Assert.Equal(ConnectionStatuses.Failing, refused.Status);
        Assert.Contains("[API] Invalid API key or access token (unrecognized login or wrong password)", refused.Reason);
        Assert.DoesNotContain(Token, refused.Reason);

        var (down, _) = Checks(HttpStatusCode.BadGateway, Fixture("bad_gateway.html"));
        var pending = await down.Check(ConnectionProviders.Shopify, Shop, new Credentials(Token), CancellationToken.None);
        Assert.Equal(ConnectionStatuses.Pending, pending.Status);
        Assert.Contains("HTTP 502", pending.Reason);
    }

    [Fact]
    public async Task A_token_of_another_shop_is_refused()
    {
        var (checks, _) = Checks(HttpStatusCode.OK, Fixture("shop.json"));
        var result = await checks.Check(ConnectionProviders.Shopify, "other-shop.myshopify.com", new Credentials(Token), CancellationToken.None);
        Assert.Equal(ConnectionStatuses.Failing, result.Status);
        Assert.Equal("The token is contract-shop.myshopify.com's, not other-shop.myshopify.com's.", result.Reason);
    }

    [Fact]
    public void The_default_schedule_is_the_shops_own_minute_within_the_window_and_spreads_a_fleet()
    {
        var options = new ConnectionOptions { DefaultSyncFromHour = 5, DefaultSyncHours = 3 };
        var crons = Enumerable.Range(0, 200).Select(i => ConnectionEndpoints.DefaultCron($"shop-{i}.myshopify.com", options)).ToList();
        Assert.All(crons, cron =>
        {
            var fields = cron.Split(' ');
            Assert.InRange(int.Parse(fields[0]), 0, 59);
            Assert.InRange(int.Parse(fields[1]), 5, 7);
            Assert.Equal("* * *", string.Join(' ', fields[2..]));
        });
        // 200 shops over the window's 180 minutes: about 120 distinct minutes if spread evenly at random, and every hour used.
        Assert.True(crons.Distinct().Count() > 100, $"only {crons.Distinct().Count()} distinct times for 200 shops");
        Assert.Equal(["5", "6", "7"], crons.Select(c => c.Split(' ')[1]).Distinct().Order());
        Assert.Equal(crons[0], ConnectionEndpoints.DefaultCron("shop-0.myshopify.com", options));
    }

    [Fact]
    public async Task A_connections_token_that_shopify_refuses_during_a_run_turns_it_failing_and_a_token_given_for_a_check_does_not()
    {
        var tokens = new RecordingTokens();
        var options = Options.Create(new ShopifyOptions { BaseUrlTemplate = "https://{shop}", ApiVersion = "2026-01" });
        var client = new ShopifyGraphQlClient(new HttpClient(new Answer(HttpStatusCode.Unauthorized, Fixture("invalid_access_token.json"))), options,
            new ThrottleGate(TimeProvider.System), NullLogger<ShopifyGraphQlClient>.Instance, tokens: tokens);

        var refused = await Assert.ThrowsAsync<ShopifyApiException>(
            () => client.RunBulkQuery(Shop, "{ orders { edges { node { id } } } }", CancellationToken.None));
        Assert.Equal("UNAUTHORIZED", refused.Code);
        var (shop, reason) = Assert.Single(tokens.Refusals);
        Assert.Equal(Shop, shop);
        Assert.Contains("Invalid API key or access token", reason);
        Assert.DoesNotContain(Token, reason);

        // A token being connected is checked with the token given, not the connection's: a refusal there says so and changes no connection.
        await Assert.ThrowsAsync<ShopifyApiException>(() => client.ReadShop(Shop, "shpat_being_connected", CancellationToken.None));
        Assert.Single(tokens.Refusals);
    }

    private sealed class RecordingTokens : IShopifyTokens
    {
        public List<(string Shop, string Reason)> Refusals { get; } = [];

        public ValueTask<string?> For(string shop, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(Token);

        public ValueTask Refused(string shop, string reason, CancellationToken cancellationToken)
        {
            Refusals.Add((shop, reason));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void The_default_schedule_keeps_out_of_the_hours_the_shop_avoids()
    {
        var options = new ConnectionOptions { DefaultSyncFromHour = 5, DefaultSyncHours = 3 };
        var shops = Enumerable.Range(0, 100).Select(i => $"shop-{i}.myshopify.com").ToList();
        // Two of the window's hours avoided: every shop syncs in the third.
        Assert.All(shops, shop => Assert.Equal("7", ConnectionEndpoints.DefaultCron(shop, options, [5, 6]).Split(' ')[1]));
        // The whole window avoided: the first hour after it the shop does not avoid.
        Assert.All(shops, shop => Assert.Equal("9", ConnectionEndpoints.DefaultCron(shop, options, [5, 6, 7, 8]).Split(' ')[1]));
        // Nothing avoided: the schedule is the one the shop always had.
        Assert.All(shops, shop => Assert.Equal(ConnectionEndpoints.DefaultCron(shop, options), ConnectionEndpoints.DefaultCron(shop, options, [])));
    }

    private sealed class Answer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }
        public string Body { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var mediaType = body.TrimStart().StartsWith('<') ? "text/html" : "application/json";
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        }
    }
}

/// <summary>The install callback's signature, held to Shopify's documented example.</summary>
public sealed class ShopifyInstallTests
{
    [Fact]
    public void The_callbacks_hmac_is_checked_as_shopify_documents_it_and_a_changed_parameter_breaks_it()
    {
        var query = new Microsoft.AspNetCore.Http.QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["code"] = "0907a61c0c8d55e99db179b68161bc00",
            ["hmac"] = "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20",
            ["shop"] = "some-shop.myshopify.com",
            ["timestamp"] = "1337178173",
        });
        Assert.True(ShopifyInstall.HmacHolds(query, "hush"));
        Assert.False(ShopifyInstall.HmacHolds(query, "hush!"));
        var changed = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(query) { ["shop"] = "other-shop.myshopify.com" };
        Assert.False(ShopifyInstall.HmacHolds(new Microsoft.AspNetCore.Http.QueryCollection(changed), "hush"));
        var notHex = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(query) { ["hmac"] = "zz" };
        Assert.False(ShopifyInstall.HmacHolds(new Microsoft.AspNetCore.Http.QueryCollection(notHex), "hush"));
    }
}
