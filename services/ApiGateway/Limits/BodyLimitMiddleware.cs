using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.ApiGateway.Limits;

/// <summary>
/// Request bodies are at most <see cref="GatewayLimitOptions.MaxBodyBytes"/>, replay uploads at most
/// <see cref="GatewayLimitOptions.MaxReplayBodyBytes"/>: a declared length above it is refused at once with 413, and a
/// body without one stops at the limit.
/// </summary>
public sealed class BodyLimitMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<GatewayLimitOptions> options)
{
    public const string ReplayPath = "/api/ingest/replay";

    public async Task InvokeAsync(HttpContext context)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            if (values.All(v => v is null || v.Length <= options.Value.MaxParameterLength)) continue;
            var named = name.Length <= 64 ? name : name[..64];
            await Problems.InvalidParameter(named, $"{named} is longer than {options.Value.MaxParameterLength} characters.").ExecuteAsync(context);
            return;
        }
        var limit = context.Request.Path.Equals(ReplayPath, StringComparison.OrdinalIgnoreCase) ? options.Value.MaxReplayBodyBytes : options.Value.MaxBodyBytes;
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            await context.WriteProblem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                $"The body is {context.Request.ContentLength} bytes; this route takes at most {limit} bytes.");
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await context.WriteProblem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"This route takes a body of at most {limit} bytes.");
        }
    }
}
