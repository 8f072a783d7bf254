using GrowthOs.ApiGateway.Security;
using Npgsql;

namespace GrowthOs.ApiGateway.Audit;

/// <summary>
/// Writes every action (any method but GET and HEAD, and the start of an install) and every admin read to the audit log. The entry is written before
/// the request goes any further: when the audit log cannot be written, the action is refused with 503 rather than done
/// unrecorded. Its outcome is added once the answer is sent; a failure to add it is logged and leaves it
/// <c>pending</c>. An action tried without a valid key (refused by authorization behind) is counted instead, per
/// minute, method, path and address (<see cref="AuditLog.CountAnonymous"/>), so that a flood of them adds no rows.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditLog audit, TimeProvider clock, ILogger<AuditMiddleware> logger)
{
    public static readonly string[] AdminPaths = ["/api/audit", "/api/keys"];

    /// <summary>Reads that act, and are audited as actions: the start of a shop's install, or of a Google account's consent.</summary>
    public static readonly string[] ActingReads = ["/api/connections/shopify/install", "/api/connections/google/authorize"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        if ((read && !AdminPaths.Concat(ActingReads).Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
            || request.Path.StartsWithSegments("/health") || ShopifyWebhookOptions.IsWebhookPath(request.Path))
        {
            await next(context);
            return;
        }
        if (context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            try
            {
                await audit.CountAnonymous(clock.GetUtcNow(), request.Method, request.Path.Value ?? "/", context.Connection.RemoteIpAddress?.ToString(),
                    CancellationToken.None);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(exception, "An anonymous {Method} {Path} could not be counted in the audit log", request.Method, request.Path.Value);
            }
            return;
        }

        long entry;
        try
        {
            entry = await audit.Begin(clock.GetUtcNow(), context.User.KeyId(), context.User.Role(), request.Method, request.Path.Value ?? "/",
                RequestShopMiddleware.Of(context).Shop, AuditLog.RunIn(request.Path.Value), context.Connection.RemoteIpAddress?.ToString(),
                context.RequestAborted);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogError(exception, "The audit log could not be written; {Method} {Path} is refused", request.Method, request.Path.Value);
            context.Response.Headers.RetryAfter = "30";
            await context.WriteProblem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "The audit log cannot be written just now, and no action is taken unrecorded; try again shortly.");
            return;
        }

        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            try
            {
                await audit.Complete(entry, clock.GetUtcNow(), status, AuditLog.RunIn(context.Response.Headers.Location.ToString()), CancellationToken.None);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(exception, "The outcome of audit entry {AuditEntry} could not be written; it stays pending", entry);
            }
        }
    }
}
