using System.Text.Json;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary><c>GET /api/etl/loads/{runId}</c>: how far each load of a run has committed, updated with every chunk.</summary>
public static class LoadProgressEndpoints
{

    public static IEndpointRouteBuilder MapLoadProgress(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/etl/loads/{runId:guid}", Get);
        return app;
    }

    /// <remarks>
    /// With <paramref name="shop"/>, only the loads of that shop's files (<c>raw/{source}/{shop}/…</c>): a key limited to a
    /// shop names it, and reads no other shop's loads.
    /// </remarks>
    private static async Task<Ok<RunLoadProgress>> Get(Guid runId, string? shop, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT archive_key, records, orders, line_items, rejected, lines_committed, bytes_read, file_bytes, chunk_size, updated_at
            FROM transform.upsert_progress WHERE run_id = @run AND (@shop IS NULL OR split_part(archive_key, '/', 3) = @shop) ORDER BY updated_at
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.Add(new NpgsqlParameter<string?>("shop", NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = string.IsNullOrWhiteSpace(shop) ? null : shop.Trim().ToLowerInvariant(),
        });
        var loads = new List<LoadProgress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bytesRead = reader.GetInt64(6);
            long? fileBytes = reader.IsDBNull(7) ? null : reader.GetInt64(7);
            loads.Add(new LoadProgress(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                bytesRead, fileBytes, ShareOf(bytesRead, fileBytes), reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return TypedResults.Ok(new RunLoadProgress(runId, loads));
    }

    /// <summary>The share of the file read, rounded to a thousandth; an empty file is read whole.</summary>
    public static double? ShareOf(long bytesRead, long? fileBytes) => fileBytes switch
    {
        null => null,
        0 => 1,
        var size => Math.Round(Math.Min(1, (double)bytesRead / size.Value), 3),
    };
}
