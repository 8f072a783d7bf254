using GrowthOs.ServiceDefaults.Messaging;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

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
        catch (Exception exception) when (InfrastructureFaults.IsConnectionLost(exception)
            || exception.InnerException is { } inner && InfrastructureFaults.IsConnectionLost(inner))
        {
            (services.GetService(typeof(NpgsqlDataSource)) as NpgsqlDataSource)?.Clear();
            throw;
        }
    }

    public void Probe(MassTransit.ProbeContext context) => context.CreateScope("dropped-connection");
}
