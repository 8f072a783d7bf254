using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace GrowthOs.IngestSaga.Persistence;

/// <summary>
/// A MassTransit saga repository over EF Core on PostgreSQL with optimistic concurrency: instances are read without
/// locks and written with their row version (xmin) in the WHERE clause. A lost race surfaces as
/// <see cref="ConcurrencyException"/>, and the message is retried against the fresh row. A second insert of the same
/// run id returns no instance, so the run is loaded instead and one run results.
/// </summary>
public sealed class PostgresSagaRepositoryContextFactory<TSaga>(
    IngestDbContext db,
    ISagaConsumeContextFactory<IngestDbContext, TSaga> consumeContextFactory)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        next.Send(new PostgresSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory));

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression).Select(x => x.CorrelationId).ToListAsync(context.CancellationToken);
        var repositoryContext = new PostgresSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory);
        await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, ids));
    }

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresQueryContext<TSaga>(db, cancellationToken));

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresQueryContext<TSaga>(db, cancellationToken));

    public void Probe(ProbeContext context) => context.CreateScope("postgres-saga-repository");
}
