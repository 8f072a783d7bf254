using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// Every request but the health endpoints and Shopify's webhooks (signed instead: <see cref="ShopifyWebhookSignature"/>) must carry one of the configured keys in <c>X-Api-Key</c>; otherwise 401
/// with a problem body. Keys are compared in constant time and never logged.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options, IProblemDetailsService problems)
{
    private readonly byte[][] _keys = options.Value.Keys.Select(Encoding.UTF8.GetBytes).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.Equals(ShopifyWebhookOptions.Path, StringComparison.OrdinalIgnoreCase)
            || IsValid(context.Request.Headers[ApiKeyOptions.HeaderName]))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = context.Request.Headers.ContainsKey(ApiKeyOptions.HeaderName)
                    ? "The API key is not valid."
                    : $"An API key is required in the {ApiKeyOptions.HeaderName} header.",
            },
        });
    }

    private bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var candidate = Encoding.UTF8.GetBytes(presented);
        var valid = false;
        foreach (var key in _keys)
            valid |= CryptographicOperations.FixedTimeEquals(candidate, key);
        return valid;
    }
}

public static class ApiKeyRegistration
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShopifyWebhookOptions>().BindConfiguration(ShopifyWebhookOptions.Section)
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 1_048_576, "ShopifyWebhooks:MaxBodyBytes must be between 1024 and 1048576.")
            .ValidateOnStart();
        builder.Services.AddOptions<ApiKeyOptions>()
            .BindConfiguration(ApiKeyOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Keys.All(k => k.Length >= o.MinimumLength),
                "Every key in ApiKeys:Keys must be at least ApiKeys:MinimumLength (24) characters long.")
            .ValidateOnStart();
        return builder;
    }
}
