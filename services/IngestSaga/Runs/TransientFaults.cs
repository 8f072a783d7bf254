using System.Text.RegularExpressions;
using MassTransit;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// Whether a consumer's fault came from the infrastructure being away for a while (the database restarting or
/// refusing connections, the object store or a network path down, a timeout) rather than from what the command asked.
/// Such a fault does not fail the entity: the run waits durably with backoff and sends the command again, within its
/// retry budget.
/// </summary>
public static partial class TransientFaults
{
    /// <summary>The reason code a run records for a wait after such a fault.</summary>
    public const string Code = "INFRASTRUCTURE_UNAVAILABLE";

    /// <summary>Exception types that say the infrastructure, not the command, failed.</summary>
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

    /// <summary>
    /// PostgreSQL's errors that pass: connection exceptions (08), insufficient resources (53), an operator's
    /// intervention such as a restart (57P01–57P03), a serialization failure or a deadlock (40001, 40P01).
    /// </summary>
    [GeneratedRegex(@"^(08\w{3}|53\w{3}|57P0[123]|40001|40P01):")]
    private static partial Regex TransientSqlState();

    public static bool IsTransient<T>(Fault<T> fault) where T : class => fault.Exceptions.Any(IsTransient);

    public static bool IsTransient(ExceptionInfo? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (TransientTypes.Contains(exception.ExceptionType)) return true;
            if (exception.ExceptionType == "Npgsql.PostgresException" && TransientSqlState().IsMatch(exception.Message ?? "")) return true;
        }
        return false;
    }
}
