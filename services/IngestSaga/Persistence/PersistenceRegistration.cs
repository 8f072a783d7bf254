using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.Outbox;
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
        builder.Services.AddSingleton<IWatermarkStore, WatermarkStore>();
        builder.Services.AddValidatedOptions<DurableWaitOptions>(DurableWaitOptions.Section);
        builder.Services.AddHostedService<DueWaitDispatcher>();
        builder.Services.AddValidatedOptions<SagaEventOptions>(SagaEventOptions.Section);
        builder.Services.AddSingleton<SagaEventSignal>();
        builder.Services.AddScoped<ISagaEvents, PostgresSagaEvents>();
        builder.Services.AddHostedService<SagaEventPublisher>();

        return builder;
    }

    /// <summary>Keeps the saga's instances in PostgreSQL (<c>ingest.bulk_sync_state</c>) with optimistic concurrency.</summary>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> saga)
        where TSaga : class, ISaga
    {
        saga.Repository(repository =>
        {
            repository.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            repository.RegisterQuerySagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            repository.RegisterSagaRepository<TSaga, IngestDbContext, SagaConsumeContextFactory<IngestDbContext, TSaga>,
                PostgresSagaRepositoryContextFactory<TSaga>>();
        });
        return saga;
    }
}
