using System.Text.Json.Serialization;
using GrowthOs.ServiceDefaults.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Serilog.Events;

namespace GrowthOs.ServiceDefaults.Hosting;

public static class HostingExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>Serilog JSON logs from configuration, traces and metrics, health checks, problem details.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        // A logger per host (not the static one): tests run several hosts in one process.
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName), preserveStaticLogger: true);
        builder.AddTelemetry(serviceName);

        builder.Services.AddProblemDetails();
        // Answers in snake_case (ApiJson), and so the OpenAPI document's schemas, which are read from the same options. A
        // number is a JSON number: a body's "60" for 60 is refused, and the document says integer, not integer or string.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddHealthChecks();
        // Every route described (Microsoft.AspNetCore.OpenApi); the gateway merges the documents of the services behind it.
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = serviceName;
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>
    /// One log line per request (method, path without its query, status, duration, trace id, and the run it started or
    /// read), health probes below the default level; then <c>/health/live</c>: the process answers, and
    /// <c>/health/ready</c>: every dependency tagged ready answers. Headers are never logged, so neither is an API key.
    /// </summary>
    /// <param name="problemBodies">
    /// False for the Sandbox only, which answers in the emulated providers' own error shapes.
    /// </param>
    /// <param name="openApiPattern">Where the service's OpenAPI document is served (the gateway serves the merged one at the default).</param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool problemBodies = true, string openApiPattern = "/openapi/{documentName}.json")
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsHealthProbe(context) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                if (RequestRunId(context) is { } runId) diagnostics.Set("RunId", runId);
                // The gateway names its caller by the API key's id, never the key.
                if (context.User.Identity is { IsAuthenticated: true, Name: { } keyId }) diagnostics.Set("ApiKeyId", keyId);
            };
        });
        // Every error is a problem body: an unhandled exception becomes a 500 naming its trace (never its message), and
        // an answer with an error status and no body (an unknown route, a wrong method, an unreachable service behind
        // the gateway) gets one saying what its status means.
        if (problemBodies)
        {
            app.UseExceptionHandler();
            app.UseStatusCodePages();
        }
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteHealthJson,
        }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthJson,
        }).AllowAnonymous();
        app.MapOpenApi(openApiPattern).AllowAnonymous();
        return app;
    }

    /// <summary>A request of the liveness or readiness probe: neither traced nor logged at the default level.</summary>
    public static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");

    /// <summary>The run a request is about: its <c>runId</c> route value, or the run whose status URL it answered with.</summary>
    private static Guid? RequestRunId(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue("runId", out var value) && Guid.TryParse(value?.ToString(), out var routed)) return routed;
        var location = context.Response.Headers.Location.ToString();
        var marker = location.IndexOf("/runs/", StringComparison.Ordinal);
        return marker >= 0 && Guid.TryParse(location.AsSpan(marker + "/runs/".Length), out var started) ? started : null;
    }

    /// <summary>
    /// Each check's status, and for a failing one only the kind of its failure (an exception's message may name a host,
    /// a user or a path; it is logged, not answered to an anonymous probe).
    /// </summary>
    private static Task WriteHealthJson(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), error = entry.Value.Exception?.GetType().Name }),
        });
}
