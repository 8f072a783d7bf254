using System.Reflection;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.Connector.Telemetry;

/// <summary>
/// Publishes the calls made while a command of a run was handled (its <c>RunId</c> and <c>ShopDomain</c>, by the
/// contracts' convention), whether the command succeeded or threw, so the KPI/Alert service sees throttled and failed
/// calls too.
/// </summary>
public sealed class ApiCallJournalFilter<TMessage> : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    private static readonly PropertyInfo? RunIdProperty = typeof(TMessage).GetProperty("RunId");
    private static readonly PropertyInfo? ShopProperty = typeof(TMessage).GetProperty("ShopDomain");

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (RunIdProperty?.GetValue(context.Message) is not Guid runId || ShopProperty?.GetValue(context.Message) is not string shop)
        {
            await next.Send(context);
            return;
        }
        var calls = ApiCallJournal.Begin();
        try
        {
            await next.Send(context);
        }
        finally
        {
            ApiCallJournal.End();
            if (!calls.IsEmpty)
                await PublishDeadline.Within(token => context.Publish(new ApiCallsRecorded(runId, shop, calls.ToList()), token), CancellationToken.None);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("apiCallJournal");
}
