using System.Text.Json;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Copies;

/// <summary>
/// Keeps this service's copies of what the pipelines view and the evidence bundles are made of: every step change of
/// every run, every API call the Connector made, every answer that asked a run to wait, and every run's data-quality
/// results. Each is keyed so that a repeated event changes nothing. A daily run that failed or ended partial has the
/// shop's alert rules evaluated again: the alerts on its figures now say their data is incomplete.
/// </summary>
public sealed class TelemetryCopyConsumer(NpgsqlDataSource dataSource, TimeProvider clock, Alerts.AlertEvaluator alerts)
    : IConsumer<SyncStepChanged>, IConsumer<ApiCallsRecorded>, IConsumer<BulkExtractionDeferred>, IConsumer<MarketingFetchDeferred>,
        IConsumer<DataQualityChecked>
{
    public async Task Consume(ConsumeContext<SyncStepChanged> context)
    {
        var e = context.Message;
        var marketing = e.JobType.StartsWith("MARKETING", StringComparison.Ordinal);
        // A step entered again (a retry) keeps the time it was first entered and takes the newest counts.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO kpi.sync_step AS s (run_id, shop_domain, job_type, source, step, status, entity, occurred_at, counts, error)
            VALUES (@run, @shop, @job, @source, @step, @status, @entity, @at, @counts::jsonb, @error)
            ON CONFLICT (run_id, step, status, entity) DO UPDATE SET counts = EXCLUDED.counts, error = COALESCE(EXCLUDED.error, s.error)
            """);
        command.Parameters.AddWithValue("run", e.RunId);
        command.Parameters.AddWithValue("shop", e.ShopDomain);
        command.Parameters.AddWithValue("job", e.JobType);
        command.Parameters.AddWithValue("source", marketing ? e.Entity ?? "" : "shopify");
        command.Parameters.AddWithValue("step", e.Step);
        command.Parameters.AddWithValue("status", e.Status);
        command.Parameters.AddWithValue("entity", marketing ? "" : e.Entity ?? "");
        command.Parameters.AddWithValue("at", e.OccurredAt);
        command.Parameters.AddWithValue("counts", JsonSerializer.Serialize(e.Counts));
        command.Parameters.AddWithValue("error", (object?)e.Error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
        if (e.Step is SyncSteps.Failed or SyncSteps.Partial && e.JobType is "DAILY_SYNC" or "MARKETING_SYNC")
            await alerts.Evaluate(context, e.ShopDomain, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ApiCallsRecorded> context)
    {
        var e = context.Message;
        var calls = e.Calls;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO kpi.api_call (message_id, seq, run_id, shop_domain, source, endpoint, called_at, http_status, duration_ms, records, throttled,
                error_code, usage_percent)
            SELECT @message, c.seq, @run, @shop, c.source, c.endpoint, c.called_at, c.http_status, c.duration_ms, c.records, c.throttled, c.error_code,
                c.usage_percent
            FROM unnest(@seqs, @sources, @endpoints, @times, @statuses, @durations, @records, @throttled, @codes, @usages)
                AS c(seq, source, endpoint, called_at, http_status, duration_ms, records, throttled, error_code, usage_percent)
            ON CONFLICT (message_id, seq) DO NOTHING
            """);
        command.Parameters.AddWithValue("message", MessageKey(context));
        command.Parameters.AddWithValue("run", e.RunId);
        command.Parameters.AddWithValue("shop", e.ShopDomain);
        command.Parameters.AddWithValue("seqs", Enumerable.Range(0, calls.Count).ToArray());
        command.Parameters.AddWithValue("sources", calls.Select(c => c.Source).ToArray());
        command.Parameters.AddWithValue("endpoints", calls.Select(c => c.Endpoint).ToArray());
        command.Parameters.AddWithValue("times", calls.Select(c => c.At.UtcDateTime).ToArray());
        command.Parameters.AddWithValue("statuses", calls.Select(c => c.HttpStatus).ToArray());
        command.Parameters.AddWithValue("durations", calls.Select(c => c.DurationMs).ToArray());
        command.Parameters.AddWithValue("records", calls.Select(c => c.Records).ToArray());
        command.Parameters.AddWithValue("throttled", calls.Select(c => c.Throttled).ToArray());
        command.Parameters.AddWithValue("codes", calls.Select(c => c.ErrorCode).ToArray());
        command.Parameters.AddWithValue("usages", calls.Select(c => c.UsagePercent).ToArray());
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }

    public Task Consume(ConsumeContext<BulkExtractionDeferred> context) =>
        SaveDeferral(context, context.Message.RunId, context.Message.ShopDomain, "shopify", context.Message.Entity, context.Message.ErrorCode,
            context.Message.Reason, context.Message.RetryAfterSeconds);

    public Task Consume(ConsumeContext<MarketingFetchDeferred> context) =>
        SaveDeferral(context, context.Message.RunId, null, context.Message.Source, null, context.Message.ErrorCode, context.Message.Reason,
            context.Message.RetryAfterSeconds);

    public async Task Consume(ConsumeContext<DataQualityChecked> context)
    {
        var e = context.Message;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO kpi.quality_result AS q (run_id, shop_domain, check_name, severity, violations, passed, checked_at)
            SELECT @run, @shop, r.* , @at FROM unnest(@checks, @severities, @violations, @passed) AS r(check_name, severity, violations, passed)
            ON CONFLICT (run_id, check_name) DO UPDATE SET severity = EXCLUDED.severity, violations = EXCLUDED.violations, passed = EXCLUDED.passed,
                checked_at = EXCLUDED.checked_at
            WHERE q.checked_at <= EXCLUDED.checked_at
            """);
        command.Parameters.AddWithValue("run", e.RunId);
        command.Parameters.AddWithValue("shop", e.ShopDomain);
        command.Parameters.AddWithValue("at", e.CheckedAt);
        command.Parameters.AddWithValue("checks", e.Results.Select(r => r.Check).ToArray());
        command.Parameters.AddWithValue("severities", e.Results.Select(r => r.Severity).ToArray());
        command.Parameters.AddWithValue("violations", e.Results.Select(r => r.Violations).ToArray());
        command.Parameters.AddWithValue("passed", e.Results.Select(r => r.Passed).ToArray());
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }

    private async Task SaveDeferral(ConsumeContext context, Guid runId, string? shop, string source, string? entity, string code, string reason,
        double? retryAfter)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO kpi.deferral (message_id, run_id, shop_domain, source, entity, error_code, reason, retry_after_seconds, deferred_at)
            VALUES (@message, @run, @shop, @source, @entity, @code, @reason, @retry, @at)
            ON CONFLICT (message_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("message", MessageKey(context));
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("shop", (object?)shop ?? DBNull.Value);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("entity", (object?)entity ?? DBNull.Value);
        command.Parameters.AddWithValue("code", code);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("retry", (object?)retryAfter ?? DBNull.Value);
        command.Parameters.AddWithValue("at", (context.SentTime is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : clock.GetUtcNow()).UtcDateTime);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }

    /// <summary>The event's message id: a redelivered event has the same one, so it is stored once.</summary>
    private static Guid MessageKey(ConsumeContext context) => context.MessageId ?? NewId.NextGuid();
}
