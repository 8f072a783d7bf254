using GrowthOs.IngestSaga.Runs;
using MassTransit;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>As the bulk sync's endpoint (<see cref="SagaEndpointRetry"/>).</summary>
public sealed class MarketingSyncStateDefinition : SagaDefinition<MarketingSyncState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<MarketingSyncState> sagaConfigurator,
        IRegistrationContext context) => SagaEndpointRetry.Configure(endpointConfigurator, context);
}
