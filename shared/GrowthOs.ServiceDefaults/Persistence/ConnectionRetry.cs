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
            catch (Exception exception) when (attempt < Attempts && InfrastructureFaults.IsConnectionLost(exception)
                && !cancellationToken.IsCancellationRequested)
            {
                dataSource.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }
}
