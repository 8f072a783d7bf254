using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// <c>POST /webhooks/shopify</c> carries no API key: Shopify authenticates it with <c>X-Shopify-Hmac-Sha256</c>, the
/// base64 HMAC-SHA256 of the raw body under the app's client secret. Every spelling of the path the route matches is
/// checked (<see cref="ShopifyWebhookOptions.IsWebhookPath"/>). The body is read whole (up to
/// <see cref="ShopifyWebhookOptions.MaxBodyBytes"/>), its signature compared in constant time, and only a signed
/// delivery is forwarded; a bad or missing signature is refused with 401 and logged, with the shop and delivery it
/// claims but never the secret or the signature. A signed delivery must also be recent (<c>X-Shopify-Triggered-At</c>
/// within the replay window) and new: one whose <c>X-Shopify-Webhook-Id</c> was forwarded and accepted within the
/// window is answered 200 without being forwarded again, so a captured delivery replayed does nothing.
/// </summary>
public sealed class ShopifyWebhookSignature(RequestDelegate next, IOptions<ShopifyWebhookOptions> options, NpgsqlDataSource dataSource,
    TimeProvider clock, ILogger<ShopifyWebhookSignature> logger)
{
    private const string WebhookIdHeader = "X-Shopify-Webhook-Id";
    private const string TriggeredAtHeader = "X-Shopify-Triggered-At";

    private readonly byte[]? _secret = options.Value.Secret is { Length: > 0 } secret ? Encoding.UTF8.GetBytes(secret) : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!ShopifyWebhookOptions.IsWebhookPath(context.Request.Path))
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
        var delivery = context.Request.Headers[WebhookIdHeader].ToString();
        if (!IsSigned(body.GetBuffer().AsSpan(0, (int)body.Length), context.Request.Headers[ShopifyWebhookOptions.SignatureHeader]))
        {
            logger.LogWarning("Refused a Shopify webhook with a {Problem} signature: shop {ShopDomain}, delivery {WebhookId}, from {ClientAddress}",
                context.Request.Headers.ContainsKey(ShopifyWebhookOptions.SignatureHeader) ? "wrong" : "missing", shop, delivery,
                context.Connection.RemoteIpAddress);
            await context.WriteProblem(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"The {ShopifyWebhookOptions.SignatureHeader} header must hold the signature of the body under the app's secret.");
            return;
        }

        if (string.IsNullOrWhiteSpace(delivery))
        {
            await context.WriteProblem(StatusCodes.Status400BadRequest, "Bad Request", $"A Shopify webhook names its delivery in {WebhookIdHeader}.");
            return;
        }
        var window = TimeSpan.FromMinutes(options.Value.ReplayWindowMinutes);
        var now = clock.GetUtcNow();
        if (!DateTimeOffset.TryParse(context.Request.Headers[TriggeredAtHeader].ToString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var triggeredAt)
            || triggeredAt < now - window || triggeredAt > now + TimeSpan.FromMinutes(options.Value.ClockSkewMinutes))
        {
            logger.LogWarning("Refused a signed Shopify webhook outside its window: shop {ShopDomain}, delivery {WebhookId}, triggered at {TriggeredAt}",
                shop, delivery, context.Request.Headers[TriggeredAtHeader].ToString());
            await context.WriteProblem(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"{TriggeredAtHeader} must be a time within the last {options.Value.ReplayWindowMinutes} minutes.");
            return;
        }
        if (await Forwarded(delivery, now - window, context.RequestAborted))
        {
            logger.LogInformation(
                "A Shopify webhook delivery already forwarded came again and was not forwarded: shop {ShopDomain}, delivery {WebhookId}", shop, delivery);
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsJsonAsync(new { delivery, status = "already_received" }, context.RequestAborted);
            return;
        }

        body.Position = 0;
        context.Request.Body = body;
        context.Request.ContentLength = body.Length;
        context.Features.Set(RequestBodyDigest.Of(body.GetBuffer().AsSpan(0, (int)body.Length)));
        await next(context);
        // Remembered only once the Ingest-Saga took it: a delivery it refused or never saw may be sent again.
        if (context.Response.StatusCode is >= 200 and < 300) await Remember(delivery, shop, now, window);
    }

    private async Task<bool> Forwarded(string delivery, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM gateway.webhook_delivery WHERE webhook_id = @id AND received_at >= @since)");
        command.Parameters.AddWithValue("id", delivery);
        command.Parameters.AddWithValue("since", since);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task Remember(string delivery, string shop, DateTimeOffset now, TimeSpan window)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM gateway.webhook_delivery WHERE received_at < @expired;
            INSERT INTO gateway.webhook_delivery (webhook_id, shop_domain, received_at) VALUES (@id, @shop, @now)
            ON CONFLICT (webhook_id) DO UPDATE SET received_at = EXCLUDED.received_at;
            """);
        command.Parameters.AddWithValue("expired", now - window);
        command.Parameters.AddWithValue("id", delivery);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
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
