using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>SQL kept beside the code that runs it, embedded in the assembly.</summary>
public static class SqlScripts
{
    /// <summary>A mart refresh of a large shop takes seconds to a few minutes, not the default 30 s.</summary>
    public const int CommandTimeoutSeconds = 600;

    public static string Read(string name)
    {
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Embedded SQL {name} is missing.");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>
    /// Replaces what <paramref name="clear"/> removes with what <paramref name="insert"/> writes, in one transaction;
    /// returns the rows written.
    /// </summary>
    public static async Task<long> Replace(NpgsqlDataSource dataSource, string clear, string insert, Action<NpgsqlParameterCollection> parameters,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand(clear, connection, transaction) { CommandTimeout = CommandTimeoutSeconds })
        {
            parameters(delete.Parameters);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var write = new NpgsqlCommand(insert, connection, transaction) { CommandTimeout = CommandTimeoutSeconds };
        parameters(write.Parameters);
        var rows = await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }
}
