using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Testing;
using GrowthOs.Transform.Loading;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

internal static class TransformDatabase
{
    /// <summary>A new database of the local PostgreSQL with the Transform service's schema migrated, and a data source on it.</summary>
    public static async Task<(TestDatabase Database, NpgsqlDataSource DataSource)> Create(string prefix)
    {
        var database = await LocalInfrastructure.CreateDatabase(prefix);
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new SchemaMigrator(dataSource, new SchemaMigrations("transform", typeof(OrderUpserter).Assembly), NullLogger<SchemaMigrator>.Instance)
            .StartAsync(CancellationToken.None);
        return (database, dataSource);
    }

    /// <summary>
    /// The Transform's loader on <paramref name="dataSource"/>, as the service builds it; chunks of <paramref name="chunkSize"/> records, or the default.
    /// </summary>
    public static BulkFileLoader Loader(NpgsqlDataSource dataSource, int? chunkSize = null, TimeProvider? clock = null) =>
        new(new OrderUpserter(dataSource), dataSource, Options.Create(chunkSize is { } size ? new UpsertOptions { ChunkSize = size } : new UpsertOptions()),
            clock ?? TimeProvider.System, NullLogger<BulkFileLoader>.Instance);
}
