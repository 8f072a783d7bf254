using System.Security.Cryptography;
using System.Text;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// The ids of runs that someone other than the server names. A scheduled occurrence and a client's idempotency key each
/// map to a name-based UUID (version 5 layout over SHA-256) in a namespace of its own, so a client's key can never take
/// the id of a scheduled run, and the same key for the same shop always names the same run.
/// </summary>
public static class RunIds
{
    public const int MaxIdempotencyKeyLength = 128;

    public static Guid Scheduled(string shop, string job, bool defaultJob, DateTimeOffset dueAt) =>
        NameBased(defaultJob
            ? $"scheduled-sync|{shop.ToLowerInvariant()}|{dueAt.UtcDateTime:O}"
            : $"scheduled-sync|{shop.ToLowerInvariant()}|{job}|{dueAt.UtcDateTime:O}");

    /// <summary>The run a client's <c>run_id</c> (its idempotency key) names for <paramref name="shop"/>.</summary>
    public static Guid FromClient(string shop, string idempotencyKey) =>
        NameBased($"client-run|{shop.ToLowerInvariant()}|{idempotencyKey}");

    /// <summary>Whether <paramref name="key"/> can be an idempotency key: 1 to 128 printable ASCII characters.</summary>
    public static bool IsIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and < (char)127);

    /// <summary>The id of an event a run publishes, named by its place in the run (for example <c>step|3</c>).</summary>
    public static Guid OfEvent(Guid runId, string name) => NameBased($"run-event|{runId}|{name}");

    private static Guid NameBased(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
