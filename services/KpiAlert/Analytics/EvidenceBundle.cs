using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// A run's evidence as one zip: <c>run.json</c> (the run record), <c>telemetry.jsonl</c> (its step changes),
/// <c>api_calls.jsonl</c> (every call the Connector made for it), <c>deferrals.jsonl</c>, <c>data_quality.json</c>,
/// <c>rate_limit_windows.json</c> (the windows of the hours of the day it ran in) and <c>manifest.json</c>, which lists
/// every other file with its size and SHA-256.
/// </summary>
public static class EvidenceBundle
{
    public const string ManifestName = "manifest.json";
    private static readonly JsonSerializerOptions Json = new(ApiJson.Options) { WriteIndented = true };
    private static readonly JsonSerializerOptions Line = ApiJson.Options;

    public static byte[] Write(RunEvidence evidence, DateTimeOffset generatedAt)
    {
        var run = evidence.Run;
        var files = new List<(string Name, string Description, byte[] Content)>
        {
            ("run.json", "the run record: its pipeline, outcome, times, retries, error and steps",
                Encode(JsonSerializer.Serialize(new { shop = evidence.Shop, run = run with { Steps = [] }, steps = run.Steps }, Json))),
            ("telemetry.jsonl", "the run's step changes, one JSON object a line, in order", Lines(run.Steps)),
            ("api_calls.jsonl", "every call made to a source's API for the run, one a line, in order", Lines(evidence.Calls)),
            ("deferrals.jsonl", "every answer that asked the run to wait, one a line", Lines(evidence.Deferrals)),
            ("data_quality.json", "the data-quality results of the run", Encode(JsonSerializer.Serialize(new { results = evidence.Quality }, Json))),
            ("rate_limit_windows.json", $"per source, the rate-limit windows of the hours of the day the run ran in ({evidence.TimeZone})",
                Encode(JsonSerializer.Serialize(new { time_zone = evidence.TimeZone, sources = evidence.RateLimitWindows }, Json))),
        };
        var manifest = new
        {
            run_id = run.RunId,
            shop = evidence.Shop,
            generated_at = generatedAt,
            files = files.Select(f => new
            {
                name = f.Name, description = f.Description, bytes = f.Content.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(f.Content)),
            }),
        };

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, _, content) in files.Append((ManifestName, "", Encode(JsonSerializer.Serialize(manifest, Json)))))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = generatedAt;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    private static byte[] Encode(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Lines<T>(IEnumerable<T> items)
    {
        var text = new StringBuilder();
        foreach (var item in items) text.Append(JsonSerializer.Serialize(item, Line)).Append('\n');
        return Encode(text.ToString());
    }
}
