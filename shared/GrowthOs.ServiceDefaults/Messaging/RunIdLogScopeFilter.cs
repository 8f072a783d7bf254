using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>
/// Opens a log scope with the <c>RunId</c> (and <c>ShopDomain</c>) of the consumed message, so every log line written
/// while handling it carries them. Contracts name the run <c>RunId</c> by convention.
/// </summary>
public sealed class RunIdLogScopeFilter<TMessage>(ILogger<RunIdLogScopeFilter<TMessage>> logger) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    private static readonly PropertyInfo? RunIdProperty = typeof(TMessage).GetProperty("RunId");
    private static readonly PropertyInfo? ShopProperty = typeof(TMessage).GetProperty("ShopDomain");

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        var state = new Dictionary<string, object?>(2);
        if (RunIdProperty?.GetValue(context.Message) is Guid runId) state["RunId"] = runId;
        if (ShopProperty?.GetValue(context.Message) is string shop) state["ShopDomain"] = shop;

        using (state.Count > 0 ? logger.BeginScope(state) : null)
            await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("runIdLogScope");
}
