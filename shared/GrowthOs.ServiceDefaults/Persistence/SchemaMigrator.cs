using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

/// <summary>
/// Applies the service's embedded SQL scripts in name order, each once, under an advisory lock so that replicas
/// starting together do not race. Creates the database first when it does not exist.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, SchemaMigrations migrations, ILogger<SchemaMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureDatabaseExists(cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (await AdvisoryLock.Take(connection, $"schema:{migrations.Schema}", cancellationToken))
        {
            await Execute(connection, $"""
                CREATE SCHEMA IF NOT EXISTS {migrations.Schema};
                CREATE TABLE IF NOT EXISTS {migrations.Schema}.schema_migration (
                    script text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now());
                """, cancellationToken);

            foreach (var (name, sql) in Scripts())
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var check = new NpgsqlCommand(
                    $"SELECT 1 FROM {migrations.Schema}.schema_migration WHERE script = @script", connection, transaction);
                check.Parameters.AddWithValue("script", name);
                if (await check.ExecuteScalarAsync(cancellationToken) is not null) continue;

                await using (var apply = new NpgsqlCommand(sql, connection, transaction))
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                await using (var record = new NpgsqlCommand(
                    $"INSERT INTO {migrations.Schema}.schema_migration (script) VALUES (@script)", connection, transaction))
                {
                    record.Parameters.AddWithValue("script", name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied schema script {Script} to {Schema}", name, migrations.Schema);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<(string Name, string Sql)> Scripts()
    {
        var prefix = migrations.Assembly.GetName().Name + ".Schema.";
        foreach (var resource in migrations.Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix) && n.EndsWith(".sql"))
            .Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(migrations.Assembly.GetManifestResourceStream(resource)!);
            yield return (resource[prefix.Length..], reader.ReadToEnd());
        }
    }

    private async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@schema")) command.Parameters.AddWithValue("schema", migrations.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task EnsureDatabaseExists(CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var database = target.Database ?? throw new InvalidOperationException("ConnectionStrings:Postgres must name a Database.");
        var maintenance = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Database = "postgres", Pooling = false };
        // The data source's connection string leaves its password out: a clone of one of its connections keeps it.
        await using var template = dataSource.CreateConnection();
        await using var connection = template.CloneWith(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return;
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}", database);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // another replica created it first
        }
    }
}
