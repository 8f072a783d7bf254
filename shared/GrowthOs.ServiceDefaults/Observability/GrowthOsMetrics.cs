using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GrowthOs.ServiceDefaults.Observability;

/// <summary>The instruments of the GrowthOs meter, named once here (OpenTelemetry's naming: dotted, units apart).</summary>
public static class GrowthOsMetrics
{
    /// <summary>Sync runs that ended, tagged <c>job_type</c> and <c>outcome</c> (completed, partial, failed).</summary>
    public static readonly Counter<long> Runs =
        GrowthOsTelemetry.Meter.CreateCounter<long>("growthos.sync.runs", "{run}", "Sync runs ended, by job type and outcome.");

    /// <summary>How long a step of a run took, tagged <c>step</c>, <c>job_type</c> and <c>entity</c>.</summary>
    public static readonly Histogram<double> StepDuration =
        GrowthOsTelemetry.Meter.CreateHistogram<double>("growthos.sync.step.duration", "s", "Duration of a step of a sync run.");

    /// <summary>Records committed by the Transform's loads, tagged <c>entity</c>.</summary>
    public static readonly Counter<long> RecordsLoaded =
        GrowthOsTelemetry.Meter.CreateCounter<long>("growthos.records.loaded", "{record}", "Records upserted into PostgreSQL.");

    /// <summary>Calls to a source's API, tagged <c>source</c>, <c>operation</c>, <c>status</c> (HTTP status or network) and <c>throttled</c>.</summary>
    public static readonly Counter<long> ApiCalls =
        GrowthOsTelemetry.Meter.CreateCounter<long>("growthos.api.calls", "{call}", "Calls to a source API, by source, status and throttling.");

    public static readonly Histogram<double> ApiCallDuration =
        GrowthOsTelemetry.Meter.CreateHistogram<double>("growthos.api.call.duration", "s", "Duration of a call to a source API.");

    /// <summary>How long an event waited in an outbox before it was published, tagged <c>outbox</c>.</summary>
    public static readonly Histogram<double> OutboxLag =
        GrowthOsTelemetry.Meter.CreateHistogram<double>("growthos.outbox.lag", "s", "Time from an event's outbox write to its publish.");

    /// <summary>Counts one call to a source's API and its duration.</summary>
    public static void RecordApiCall(string source, string operation, string status, bool throttled, TimeSpan duration)
    {
        var tags = new TagList { { "source", source }, { "operation", operation }, { "status", status }, { "throttled", throttled } };
        ApiCalls.Add(1, tags);
        ApiCallDuration.Record(duration.TotalSeconds, tags);
    }
}
