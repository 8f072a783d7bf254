using System.Reflection;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

public static class PostgresExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// One <see cref="NpgsqlDataSource"/> for the service, its SQL migrations (embedded <c>Schema/NNN_name.sql</c>
    /// files of <paramref name="migrationsAssembly"/>) applied at start, and a ready check.
    /// Register before the bus, so the schema exists before the first message is consumed.
    /// </summary>
    public static WebApplicationBuilder AddPostgres(this WebApplicationBuilder builder, string schema, Assembly migrationsAssembly)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"Setting ConnectionStrings:{ConnectionStringName} is required.");

        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton(new SchemaMigrations(schema, migrationsAssembly));
        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [HostingExtensions.ReadyTag]);
        return builder;
    }
}
