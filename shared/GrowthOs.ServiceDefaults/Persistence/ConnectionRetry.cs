using GrowthOs.ServiceDefaults.Messaging;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

/// <summary>
/// A command whose pooled connection the server has dropped (a restart, an operator's <c>pg_terminate_backend</c>)
/// fails on its next use, and so do the pool's other idle connections: the pool is cleared and the command run again on
/// a fresh connection, a few times, before the failure is reported. Only for commands that may run twice.
/// </summary>
public static class ConnectionRetry
{
    public const int Attempts = 3;

    public static async Task<T> Run<T>(NpgsqlDataSource dataSource, Func<Task<T>> command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await command();
            }
            catch (Exception exception) when (attempt < Attempts && InfrastructureFaults.IsConnectionLost(exception) && !cancellationToken.IsCancellationRequested)
            {
                dataSource.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }
}

/// <summary>
/// A message whose handling lost its database connection clears the service's pool before it is tried again, so the
/// retry is not handed the next of the connections the server dropped (after a restart, every idle one).
/// </summary>
public sealed class DroppedConnectionFilter<TMessage>(IServiceProvider services) : MassTransit.IFilter<MassTransit.ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(MassTransit.ConsumeContext<TMessage> context, MassTransit.IPipe<MassTransit.ConsumeContext<TMessage>> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception exception) when (InfrastructureFaults.IsConnectionLost(exception) || exception.InnerException is { } inner && InfrastructureFaults.IsConnectionLost(inner))
        {
            (services.GetService(typeof(NpgsqlDataSource)) as NpgsqlDataSource)?.Clear();
            throw;
        }
    }

    public void Probe(MassTransit.ProbeContext context) => context.CreateScope("dropped-connection");
}
