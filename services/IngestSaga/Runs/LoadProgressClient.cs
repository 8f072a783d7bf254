using System.Text.Json;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// Asks the Transform how far the loads of a run have committed (<c>GET /api/etl/loads/{runId}</c>). The saga learns a
/// load's counts only when it ends; this is how a run's view shows a long load's progress while it runs. Progress is a
/// view, never a decision: when the Transform does not answer in time, the run is shown without it.
/// </summary>
public sealed class LoadProgressClient(HttpClient http, ILogger<LoadProgressClient> logger)
{
    private static readonly JsonSerializerOptions Json = ApiJson.Options;

    private sealed record Answer(Guid RunId, List<LoadProgress> Loads);

    /// <summary>The progress of the load of <paramref name="archiveKey"/> in the run, or null when there is none or the Transform did not answer.</summary>
    public async Task<LoadProgress?> Find(Guid runId, string archiveKey, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await http.GetFromJsonAsync<Answer>($"api/etl/loads/{runId}", Json, cancellationToken);
            return answer?.Loads.FirstOrDefault(load => load.ArchiveKey == archiveKey);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The progress of run {RunId}'s load is not shown: the Transform did not answer ({Error})", runId, exception.Message);
            return null;
        }
    }
}
