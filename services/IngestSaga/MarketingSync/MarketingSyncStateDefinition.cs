using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.Privacy;
using GrowthOs.IngestSaga.Runs;
using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>As the bulk sync's endpoint (<see cref="SagaEndpointRetry"/>).</summary>
public sealed class MarketingSyncStateDefinition : SagaDefinition<MarketingSyncState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<MarketingSyncState> sagaConfigurator,
        IRegistrationContext context)
    {
        SagaEndpointRetry.Configure(endpointConfigurator, context);
        // A run asked for before its shop's purge and delivered after it is not started (where runs are kept in PostgreSQL).
        if (context.GetService<NpgsqlDataSource>() is not { } dataSource) return;
        var logger = context.GetRequiredService<ILogger<MarketingSyncStateDefinition>>();
        sagaConfigurator.Message<MarketingSyncRequested>(m =>
            m.UseFilter(new PurgedShopFilter<MarketingSyncRequested>(dataSource, r => r.ShopDomain, logger)));
        sagaConfigurator.Message<MarketingReplayRequested>(m =>
            m.UseFilter(new PurgedShopFilter<MarketingReplayRequested>(dataSource, r => r.ShopDomain, logger)));
    }
}
