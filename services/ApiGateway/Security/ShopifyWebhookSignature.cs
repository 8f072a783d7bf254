using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// <c>POST /webhooks/shopify</c> carries no API key: Shopify authenticates it with <c>X-Shopify-Hmac-Sha256</c>, the
/// base64 HMAC-SHA256 of the raw body under the app's client secret. The body is read whole (up to
/// <see cref="ShopifyWebhookOptions.MaxBodyBytes"/>), its signature compared in constant time, and only a signed
/// delivery is forwarded; a bad or missing signature is refused with 401 and logged, with the shop and delivery it
/// claims but never the secret or the signature.
/// </summary>
public sealed class ShopifyWebhookSignature(RequestDelegate next, IOptions<ShopifyWebhookOptions> options,
    ILogger<ShopifyWebhookSignature> logger)
{
    private readonly byte[]? _secret = options.Value.Secret is { Length: > 0 } secret ? Encoding.UTF8.GetBytes(secret) : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(ShopifyWebhookOptions.Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await context.WriteProblem(StatusCodes.Status405MethodNotAllowed, "Method Not Allowed", "Shopify delivers webhooks with POST.");
            return;
        }
        if (_secret is null)
        {
            await context.WriteProblem(StatusCodes.Status404NotFound, "Not Found", "Shopify webhooks are not configured here (ShopifyWebhooks:Secret).");
            return;
        }

        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await context.WriteProblem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"A webhook body is at most {limit} bytes.");
            return;
        }
        var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > limit)
            {
                await context.WriteProblem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"A webhook body is at most {limit} bytes.");
                return;
            }
            body.Write(buffer, 0, read);
        }

        var shop = context.Request.Headers["X-Shopify-Shop-Domain"].ToString();
        var delivery = context.Request.Headers["X-Shopify-Webhook-Id"].ToString();
        if (!IsSigned(body.GetBuffer().AsSpan(0, (int)body.Length), context.Request.Headers[ShopifyWebhookOptions.SignatureHeader]))
        {
            logger.LogWarning("Refused a Shopify webhook with a {Problem} signature: shop {ShopDomain}, delivery {WebhookId}, from {ClientAddress}",
                context.Request.Headers.ContainsKey(ShopifyWebhookOptions.SignatureHeader) ? "wrong" : "missing", shop, delivery, context.Connection.RemoteIpAddress);
            await context.WriteProblem(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"The {ShopifyWebhookOptions.SignatureHeader} header must hold the signature of the body under the app's secret.");
            return;
        }

        body.Position = 0;
        context.Request.Body = body;
        context.Request.ContentLength = body.Length;
        await next(context);
    }

    private bool IsSigned(ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        Span<byte> presented = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature, presented, out var length)) return false;
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, body, expected);
        return CryptographicOperations.FixedTimeEquals(presented[..length], expected);
    }
}
