using System.Diagnostics;
using System.Diagnostics.Metrics;
using GrowthOs.ServiceDefaults.Hosting;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GrowthOs.ServiceDefaults.Observability;

/// <summary>
/// Traces and metrics with OpenTelemetry. ASP.NET Core, HttpClient, MassTransit and Npgsql activities join one trace:
/// the gateway's request, the service it proxies to, and every message the run sends (MassTransit carries the W3C trace
/// context in each message's headers). Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; without it the
/// activities still exist, so log lines carry their trace id.
/// </summary>
public static class GrowthOsTelemetry
{
    /// <summary>The activity source and meter of the GrowthOs services' own spans and instruments.</summary>
    public const string Name = "GrowthOs";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(Name, DiagnosticHeaders.DefaultListenerName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !HostingExtensions.IsHealthProbe(context))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(Name, InstrumentationOptions.MeterName, "Npgsql", "System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) telemetry.UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Starts a span that continues the trace of <paramref name="traceParent"/> (a W3C <c>traceparent</c> kept with
    /// durable state), for work a background loop does on behalf of a run: the messages it publishes join the run's trace.
    /// </summary>
    public static Activity? ContinueTrace(string name, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Source.StartActivity(name, ActivityKind.Internal);
}
