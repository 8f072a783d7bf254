using System.Reflection;
using MassTransit;
using MassTransit.Middleware;

namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>
/// Marks a consumer of a run's command whose faults the run handles itself: a transient one (the database restarting,
/// the store away) it waits out durably and sends the command again; any other fails the run with its reason. A copy of
/// such a message in the consumer's error queue would need no one, so a transient fault's copy is not kept there (its
/// <c>Fault</c> event is still published, which is what the run acts on); any other fault's copy is.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FaultsWaitedOutByTheRunAttribute : Attribute;

/// <summary>Moves a faulted message to the error queue, unless its fault is transient: then only its <c>Fault</c> event goes out.</summary>
public sealed class WaitedOutFaultFilter : IFilter<ExceptionReceiveContext>
{
    private readonly IFilter<ExceptionReceiveContext> _errorTransport = new ErrorTransportFilter();

    public void Probe(ProbeContext context) => context.CreateFilterScope("waited-out-faults");

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next) =>
        InfrastructureFaults.IsTransient(context.Exception) ? next.Send(context) : _errorTransport.Send(context, next);
}

public static class WaitedOutFaults
{
    /// <summary>The endpoint names of the consumers of <paramref name="assembly"/> marked <see cref="FaultsWaitedOutByTheRunAttribute"/>.</summary>
    public static IReadOnlySet<string> EndpointsOf(Assembly? assembly)
    {
        if (assembly is null) return new HashSet<string>();
        var consumer = typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!;
        return assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<FaultsWaitedOutByTheRunAttribute>() is not null)
            .Select(t => (string)consumer.MakeGenericMethod(t).Invoke(KebabCaseEndpointNameFormatter.Instance, null)!)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A faulted message's <c>Fault</c> is published; its copy goes to the error queue unless the fault was transient.</summary>
    public static void DiscardTransientFaults(this IReceiveEndpointConfigurator endpoint) =>
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new WaitedOutFaultFilter());
        });
}
