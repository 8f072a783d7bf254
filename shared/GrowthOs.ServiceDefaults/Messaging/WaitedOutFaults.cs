using System.Reflection;
using MassTransit;
using MassTransit.Middleware;

namespace GrowthOs.ServiceDefaults.Messaging;

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
