using System.Text.Json;
using GrowthOs.Contracts.Kpi;
using GrowthOs.KpiAlert.Analytics;
using GrowthOs.KpiAlert.Kpis;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// Evaluates a shop's rules on its default period (the trailing 7 complete days against the 7 before) and brings its
/// alerts in line: a condition with no open alert of its rule and subject opens one (<see cref="AlertRaised"/>); an open
/// alert whose condition still holds keeps its raising figures and takes the latest; an open alert whose condition no
/// longer holds is resolved (<see cref="AlertResolved"/>). Each condition first takes the state of the data behind it
/// (<see cref="DataCompleteness"/>): an alert whose severity that changes says so (<see cref="AlertSeverityChanged"/>).
/// One evaluation of a shop at a time.
/// </summary>
public sealed class AlertEvaluator(KpiStore store, AnalyticsStore analytics, NpgsqlDataSource dataSource, IOptions<KpiOptions> kpiOptions,
    IOptions<AlertOptions> options, TimeProvider clock, ILogger<AlertEvaluator> logger)
{
    public async Task Evaluate(IPublishEndpoint bus, string shop, CancellationToken cancellationToken) =>
        await Evaluate(bus, shop, kpiOptions.Value.DefaultPeriod(shop, clock.GetUtcNow()), null, cancellationToken);

    /// <summary>
    /// The same on a period whose KPIs (and profit figures, <paramref name="computedProfit"/>) the caller has just computed
    /// (<paramref name="computed"/>), so they are not computed again.
    /// </summary>
    public async Task Evaluate(IPublishEndpoint bus, string shop, (DateOnly From, DateOnly To) period, IReadOnlyList<Kpi>? computed,
        CancellationToken cancellationToken, (int Days, IReadOnlyList<Kpi> Figures)? computedProfit = null)
    {
        var (from, to) = period;
        var kpis = computed ?? (await store.Compute(shop, from, to, cancellationToken)).Kpis;
        var days = 2 * (to.DayNumber - from.DayNumber + 1);
        var (salesDays, marketingDays) = await store.Coverage(shop, from.AddDays(-days / 2), to, cancellationToken);
        var (profitDays, profit) = computedProfit ?? await store.ComputeProfit(shop, from, to, cancellationToken);
        var successes = await store.Pipelines(shop, clock.GetUtcNow(), cancellationToken);
        var inputs = new AlertInputs(from, to, kpis, await store.Platforms(shop, from, to, cancellationToken),
            await store.Campaigns(shop, from, to, cancellationToken),
            SalesHeld: salesDays == days, MarketingHeld: marketingDays == days, Pipelines: successes,
            Now: clock.GetUtcNow(), StockOuts: await store.StockOuts(shop, cancellationToken), Gaps: await store.OpenGaps(shop, cancellationToken),
            Profit: profitDays == days ? profit : null, NoMarketing: marketingDays == 0,
            EmailSends: await store.EmailSends(shop, from, to, cancellationToken),
            FlowSending: await store.FlowSending(shop, to.AddDays(-options.Value.FlowSteadyDays - options.Value.FlowStoppedForDays), to, cancellationToken),
            Baselines: await store.Baselines(shop, from, to, kpis, cancellationToken));
        var now = clock.GetUtcNow();
        var gaps = await Gaps(shop, successes, now, cancellationToken);
        var conditions = AlertRules.Evaluate(inputs, options.Value).Select(c => DataCompleteness.Apply(c, gaps)).ToList();
        var raised = new List<AlertRaised>();
        var changed = new List<AlertSeverityChanged>();
        var resolved = new List<AlertResolved>();

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await GrowthOs.ServiceDefaults.Persistence.AdvisoryLock.TakeForTransaction(connection, transaction, $"alerts:{shop}", cancellationToken);
            var open = new Dictionary<(string Rule, string Subject), (Guid Id, string Severity)>();
            await using (var select = new NpgsqlCommand(
                "SELECT rule, subject, alert_id, severity FROM kpi.alert WHERE shop_domain = @shop AND status = 'open'", connection, transaction))
            {
                select.Parameters.AddWithValue("shop", shop);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) open[(reader.GetString(0), reader.GetString(1))] = (reader.GetGuid(2), reader.GetString(3));
            }

            foreach (var condition in conditions)
            {
                var figures = JsonSerializer.Serialize(condition.Figures);
                var incomplete = condition.DataIncomplete ?? [];
                var pipelines = incomplete.Select(g => g.Pipeline).ToArray();
                var data = incomplete.Count == 0 ? null : JsonSerializer.Serialize(incomplete.Select(g => new { pipeline = g.Pipeline, reason = g.Reason }));
                if (open.Remove((condition.Rule, condition.Subject), out var existing))
                {
                    await using var keep = new NpgsqlCommand("""
                        UPDATE kpi.alert SET latest_figures = @figures::jsonb, message = @message, recommendation = @recommendation, evaluated_at = @now,
                            severity = @severity, data_incomplete = @data::jsonb, held_back = @held,
                            incomplete_pipelines = ARRAY(SELECT DISTINCT p FROM unnest(incomplete_pipelines || @pipelines) AS p ORDER BY p)
                        WHERE alert_id = @id
                        """, connection, transaction);
                    keep.Parameters.AddWithValue("figures", figures);
                    keep.Parameters.AddWithValue("message", condition.Message);
                    keep.Parameters.AddWithValue("recommendation", condition.Recommendation);
                    keep.Parameters.AddWithValue("now", now);
                    keep.Parameters.AddWithValue("severity", condition.Severity);
                    keep.Parameters.Add(new NpgsqlParameter("data", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)data ?? DBNull.Value });
                    keep.Parameters.AddWithValue("held", condition.HeldBack);
                    keep.Parameters.AddWithValue("pipelines", pipelines);
                    keep.Parameters.AddWithValue("id", existing.Id);
                    await keep.ExecuteNonQueryAsync(cancellationToken);
                    if (existing.Severity != condition.Severity)
                        changed.Add(new AlertSeverityChanged(existing.Id, shop, condition.Rule, condition.Subject, condition.Severity, existing.Severity,
                            pipelines, now));
                    continue;
                }
                var id = NewId.NextGuid();
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO kpi.alert (alert_id, shop_domain, rule, subject, severity, status, message, recommendation, raised_figures, latest_figures,
                        raised_at, evaluated_at, data_incomplete, held_back, incomplete_pipelines)
                    VALUES (@id, @shop, @rule, @subject, @severity, 'open', @message, @recommendation, @figures::jsonb, @figures::jsonb, @now, @now,
                        @data::jsonb, @held, @pipelines)
                    """, connection, transaction);
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("shop", shop);
                insert.Parameters.AddWithValue("rule", condition.Rule);
                insert.Parameters.AddWithValue("subject", condition.Subject);
                insert.Parameters.AddWithValue("severity", condition.Severity);
                insert.Parameters.AddWithValue("message", condition.Message);
                insert.Parameters.AddWithValue("recommendation", condition.Recommendation);
                insert.Parameters.AddWithValue("figures", figures);
                insert.Parameters.AddWithValue("now", now);
                insert.Parameters.Add(new NpgsqlParameter("data", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)data ?? DBNull.Value });
                insert.Parameters.AddWithValue("held", condition.HeldBack);
                insert.Parameters.AddWithValue("pipelines", pipelines);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                raised.Add(new AlertRaised(id, shop, condition.Rule, condition.Subject, condition.Severity, condition.Message, condition.Recommendation,
                    condition.Figures, now, pipelines));
            }

            foreach (var ((rule, subject), (id, _)) in open)
            {
                await using var resolve = new NpgsqlCommand(
                    "UPDATE kpi.alert SET status = 'resolved', resolved_at = @now, evaluated_at = @now WHERE alert_id = @id", connection, transaction);
                resolve.Parameters.AddWithValue("now", now);
                resolve.Parameters.AddWithValue("id", id);
                await resolve.ExecuteNonQueryAsync(cancellationToken);
                resolved.Add(new AlertResolved(id, shop, rule, subject, now));
            }
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var alert in raised)
        {
            logger.LogWarning("Alert {Rule} ({Severity}) raised for {ShopDomain} {Subject}: {Message}", alert.Rule, alert.Severity, shop, alert.Subject,
                alert.Message);
            await bus.Publish(alert, cancellationToken);
        }
        foreach (var alert in changed)
        {
            logger.LogWarning("Alert {Rule} of {ShopDomain} {Subject} is now {Severity} (was {PreviousSeverity}); data incomplete: {Pipelines}", alert.Rule,
                shop, alert.Subject, alert.Severity, alert.PreviousSeverity, string.Join(", ", alert.DataIncomplete));
            await bus.Publish(alert, cancellationToken);
        }
        foreach (var alert in resolved)
        {
            logger.LogInformation("Alert {Rule} resolved for {ShopDomain} {Subject}", alert.Rule, shop, alert.Subject);
            await bus.Publish(alert, cancellationToken);
        }
    }

    /// <summary>The shop's daily pipelines that are late or incomplete now, from its runs of the last week.</summary>
    private async Task<IReadOnlyList<DataGap>> Gaps(string shop, IReadOnlyList<PipelineSuccess> successes, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var since = now.AddDays(-7);
        var latest = (await analytics.Steps(shop, since, null, cancellationToken)).GroupBy(s => s.RunId)
            .Select(g => PipelineHealth.Summarize(g.ToList()))
            .GroupBy(r => r.Pipeline).Select(g => g.MaxBy(r => r.StartedAt)!).ToList();
        var deferrals = await analytics.Deferrals(shop, since, now.AddMinutes(1), null, cancellationToken);
        return DataCompleteness.Gaps(successes, latest, deferrals, now, options.Value.PipelineMaxAgeHours);
    }
}
