using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.Watermarks;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Persistence;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GrowthOs.IngestSaga.Persistence;

public static class PersistenceRegistration
{
    public static WebApplicationBuilder AddIngestPersistence(this WebApplicationBuilder builder)
    {
        builder.AddPostgres(IngestDbContext.Schema, typeof(IngestDbContext).Assembly);
        builder.Services.AddDbContext<IngestDbContext>((provider, options) => options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<WatermarkStore>();
        builder.Services.AddValidatedOptions<DurableWaitOptions>(DurableWaitOptions.Section);
        builder.Services.AddHostedService<DueWaitDispatcher>();
        return builder;
    }

    /// <summary>Registers the bulk-sync saga on the PostgreSQL repository.</summary>
    public static void AddBulkSyncSaga(this IBusRegistrationConfigurator bus)
    {
        bus.AddSagaStateMachine<BulkSyncStateMachine, BulkSyncState, BulkSyncStateDefinition>()
            .Repository(repository =>
            {
                repository.RegisterLoadSagaRepository<BulkSyncState, PostgresSagaRepositoryContextFactory<BulkSyncState>>();
                repository.RegisterQuerySagaRepository<BulkSyncState, PostgresSagaRepositoryContextFactory<BulkSyncState>>();
                repository.RegisterSagaRepository<BulkSyncState, IngestDbContext, SagaConsumeContextFactory<IngestDbContext, BulkSyncState>,
                    PostgresSagaRepositoryContextFactory<BulkSyncState>>();
            });
        bus.AddScoped<StartExtractionActivity>();
        bus.AddScoped<AdvanceWatermarkActivity>();
    }
}
