using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.KpiAlert.Alerts;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Copies;

/// <summary>
/// Keeps the syncs that ended (<c>kpi.sync_outcome</c>): a daily Shopify sync as job <c>shopify</c>, a marketing sync as
/// <c>marketing:{source}</c>; backfills and replays are not daily jobs and are left out. A repeated event changes nothing.
/// Then the shop's alert rules are evaluated: a success may resolve <c>pipeline_missing</c>.
/// </summary>
public sealed class SyncOutcomeConsumer(NpgsqlDataSource dataSource, AlertEvaluator alerts) : IConsumer<SyncCompleted>, IConsumer<MarketingSyncCompleted>
{
    public Task Consume(ConsumeContext<SyncCompleted> context) =>
        context.Message.JobType is null or "DAILY_SYNC"
            ? Save(context, context.Message.RunId, context.Message.ShopDomain, "shopify", context.Message.Partial, context.Message.CompletedAt)
            : Task.CompletedTask;

    public Task Consume(ConsumeContext<MarketingSyncCompleted> context) =>
        context.Message.JobType is null or "MARKETING_SYNC"
            ? Save(context, context.Message.RunId, context.Message.ShopDomain, $"marketing:{context.Message.Source}", context.Message.Partial, context.Message.CompletedAt)
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
