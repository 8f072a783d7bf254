using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.KpiAlert.Alerts;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Copies;

/// <summary>
/// Keeps the syncs that ended (<c>kpi.sync_outcome</c>): a daily Shopify sync as job <c>shopify</c>, a marketing sync as
/// <c>marketing:{source}</c>; backfills and replays are not daily jobs and are left out, but a backfill that completes
/// whole fills the gap it was asked for (<c>kpi.sync_gap</c>). A repeated event changes nothing. Then the shop's alert
/// rules are evaluated: a success may resolve <c>pipeline_missing</c> or <c>sync_gap</c>.
/// </summary>
public sealed class SyncOutcomeConsumer(NpgsqlDataSource dataSource, AlertEvaluator alerts)
    : IConsumer<SyncCompleted>, IConsumer<MarketingSyncCompleted>, IConsumer<SyncGapFound>
{
    public async Task Consume(ConsumeContext<SyncCompleted> context)
    {
        var message = context.Message;
        if (message.JobType is null or "DAILY_SYNC")
        {
            await Save(context, message.RunId, message.ShopDomain, "shopify", message.Partial, message.CompletedAt);
            return;
        }
        if (message.Partial) return;
        await using var filled = dataSource.CreateCommand("""
            WITH completed AS (INSERT INTO kpi.backfill_completed (run_id, completed_at) VALUES (@run, @at) ON CONFLICT (run_id) DO NOTHING)
            UPDATE kpi.sync_gap SET filled_at = @at WHERE backfill_run_id = @run AND filled_at IS NULL
            """);
        filled.Parameters.AddWithValue("run", message.RunId);
        filled.Parameters.AddWithValue("at", message.CompletedAt);
        if (await filled.ExecuteNonQueryAsync(context.CancellationToken) > 0)
            await alerts.Evaluate(context, message.ShopDomain, context.CancellationToken);
    }

    /// <summary>A gap found: kept until its backfill completes whole (a backfill that completed before the gap was heard of fills it at once).</summary>
    public async Task Consume(ConsumeContext<SyncGapFound> context)
    {
        var message = context.Message;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO kpi.sync_gap (backfill_run_id, shop_domain, entity, gap_from, floor, found_by, found_at, filled_at)
            VALUES (@run, @shop, @entity, @from, @floor, @by, @at, (SELECT completed_at FROM kpi.backfill_completed WHERE run_id = @run))
            ON CONFLICT (backfill_run_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("run", message.BackfillRunId);
        command.Parameters.AddWithValue("shop", message.ShopDomain);
        command.Parameters.AddWithValue("entity", message.Entity);
        command.Parameters.AddWithValue("from", message.GapFrom);
        command.Parameters.AddWithValue("floor", message.Floor);
        command.Parameters.AddWithValue("by", message.RunId);
        command.Parameters.AddWithValue("at", message.FoundAt);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
        await alerts.Evaluate(context, message.ShopDomain, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MarketingSyncCompleted> context) =>
        context.Message.JobType is null or "MARKETING_SYNC"
            ? Save(context, context.Message.RunId, context.Message.ShopDomain, $"marketing:{context.Message.Source}", context.Message.Partial,
                context.Message.CompletedAt)
            : Task.CompletedTask;

    private async Task Save(ConsumeContext context, Guid runId, string shop, string job, bool partial, DateTimeOffset endedAt)
    {
        var cancellationToken = context.CancellationToken;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO kpi.sync_outcome (run_id, shop_domain, job, outcome, ended_at) VALUES (@run, @shop, @job, @outcome, @at)
            ON CONFLICT (run_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("outcome", partial ? "partial" : "completed");
        command.Parameters.AddWithValue("at", endedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await alerts.Evaluate(context, shop, cancellationToken);
    }
}
