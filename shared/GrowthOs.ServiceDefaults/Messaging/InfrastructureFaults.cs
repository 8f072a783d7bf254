using System.Text.RegularExpressions;
using MassTransit;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>
/// One classification, for every service, of failures that say the infrastructure is away for a while (the database
/// restarting or refusing connections, the object store or a network path down, a timeout) rather than that the work
/// asked for is wrong. Such a failure is waited out and the work tried again; any other fails it. It reads a thrown
/// exception (a consumer's retry) and a fault's <see cref="ExceptionInfo"/> (a saga deciding on a consumer's fault) alike,
/// by type name, so a service needs no reference to another's client library.
/// </summary>
public static partial class InfrastructureFaults
{
    /// <summary>Exception types (or their bases) that say the infrastructure, not the work, failed.</summary>
    private static readonly HashSet<string> TransientTypes =
    [
        "Npgsql.NpgsqlException",
        "System.Net.Http.HttpRequestException",
        "System.Net.Sockets.SocketException",
        "System.IO.IOException",
        "System.TimeoutException",
        "System.Threading.Tasks.TaskCanceledException",
        "Amazon.Runtime.AmazonServiceException",
        "Amazon.Runtime.Internal.HttpErrorResponseException",
        "Amazon.S3.AmazonS3Exception",
        "MassTransit.RequestTimeoutException",
    ];

    private const string PostgresExceptionType = "Npgsql.PostgresException";

    /// <summary>
    /// PostgreSQL's errors that pass: connection exceptions (08), insufficient resources (53), an operator's
    /// intervention such as a restart (57P01–57P03), a serialization failure or a deadlock (40001, 40P01).
    /// </summary>
    [GeneratedRegex(@"^(08\w{3}|53\w{3}|57P0[123]|40001|40P01)$")]
    private static partial Regex TransientSqlState();

    /// <summary>A fault's message starts with its SQL state ("57P01: terminating connection…").</summary>
    [GeneratedRegex(@"^(?<state>\w{5}):")]
    private static partial Regex SqlStateOfMessage();

    /// <summary>Whether the exception, or one it wraps, is a transient infrastructure failure.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException postgres)
            {
                if (TransientSqlState().IsMatch(postgres.SqlState)) return true;
                continue;
            }
            for (var type = exception.GetType(); type is not null; type = type.BaseType)
                if (TransientTypes.Contains(type.FullName ?? "")) return true;
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient)) return true;
        }
        return false;
    }

    /// <summary>The same for a fault's exception as MassTransit carries it (its concrete type's name and message).</summary>
    public static bool IsTransient(ExceptionInfo? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception.ExceptionType == PostgresExceptionType)
            {
                if (SqlStateOfMessage().Match(exception.Message ?? "") is { Success: true } match && TransientSqlState().IsMatch(match.Groups["state"].Value))
                    return true;
                continue;
            }
            if (TransientTypes.Contains(exception.ExceptionType)) return true;
        }
        return false;
    }

    /// <summary>
    /// The narrower case of a lost or refused database connection (Npgsql's own I/O errors, PostgreSQL's 08xxx and
    /// 57P01–57P03): the pool's other idle connections are likely dead too and should be cleared before a retry.
    /// </summary>
    public static bool IsConnectionLost(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException => true,
        _ => false,
    };
}
