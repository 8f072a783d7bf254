using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Shopify;

/// <summary>
/// The last step of Shopify's authorization code grant: <c>POST https://{shop}/admin/oauth/access_token</c> with the
/// app's client credentials and the code the callback brought. Shopify's refusals (a code not found or already used,
/// client credentials it does not know) are its <c>error</c> and <c>error_description</c>, never the secret or the code.
/// </summary>
public sealed class ShopifyOAuthClient(HttpClient http, IOptions<ShopifyOptions> options, ILogger<ShopifyOAuthClient> logger)
{
    public async Task<ShopifyGrant> ExchangeCode(string shop, string code, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (response, _) = await ProviderCall.Send(
            token => http.PostAsJsonAsync(settings.ShopUrl(shop, "/admin/oauth/access_token"),
                new { client_id = settings.ClientId, client_secret = settings.ClientSecret, code }, token),
            journal: null, TimeProvider.System,
            (exception, _) => new ShopifyApiException("NETWORK", $"Shopify did not answer the exchange of {shop}'s authorization code: {exception.Message}",
                transient: true),
            cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            logger.LogInformation("Shopify access_token exchange for {Shop}: HTTP {StatusCode}", shop, (int)response.StatusCode);
            var status = (int)response.StatusCode;
            if (status >= 500 || status == 429)
                throw new ShopifyApiException($"HTTP_{status}", $"Shopify answered HTTP {status} to the exchange of {shop}'s authorization code.",
                    transient: true);
            if (!response.IsSuccessStatusCode)
            {
                var error = Text(json?["error"]) ?? $"HTTP {status}";
                var description = Text(json?["error_description"]);
                throw new ShopifyApiException(error, $"Shopify refused {shop}'s authorization code: {error}{(description is null ? "" : $": {description}")}",
                    transient: false);
            }
            var token = Text(json?["access_token"]);
            if (string.IsNullOrEmpty(token))
                throw new ShopifyApiException("MALFORMED_RESPONSE", $"Shopify's answer to the exchange of {shop}'s authorization code has no access_token.",
                    transient: false);
            return new ShopifyGrant(token, Text(json?["scope"]));
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
