using MassTransit;
using MassTransit.Middleware;

namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>Moves a faulted message to the error queue, unless its fault is transient: then only its <c>Fault</c> event goes out.</summary>
public sealed class WaitedOutFaultFilter : IFilter<ExceptionReceiveContext>
{
    private readonly IFilter<ExceptionReceiveContext> _errorTransport = new ErrorTransportFilter();

    public void Probe(ProbeContext context) => context.CreateFilterScope("waited-out-faults");

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next) =>
        InfrastructureFaults.IsTransient(context.Exception) ? next.Send(context) : _errorTransport.Send(context, next);
}
