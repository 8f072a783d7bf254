using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrowthOs.IngestSaga.MarketingSync;

public static class MarketingSyncRegistration
{
    /// <summary>The marketing-sync state machine and its activities; the caller chooses the repository.</summary>
    public static ISagaRegistrationConfigurator<MarketingSyncState> AddMarketingSyncSaga(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(Jitter.Shared);
        bus.TryAddSingleton<IMarketingWatermarks, MarketingWatermarks>();
        bus.AddScoped<StartMarketingFetchActivity>();
        bus.AddScoped(typeof(AdvanceMarketingWatermarkActivity<>));
        return bus.AddSagaStateMachine<MarketingSyncStateMachine, MarketingSyncState, MarketingSyncStateDefinition>();
    }
}
