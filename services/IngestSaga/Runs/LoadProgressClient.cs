using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.Runs;

public sealed class TransformApiOptions
{
    public const string Section = "Transform";

    /// <summary>The Transform's HTTP API, asked how far a run's load has committed.</summary>
    [Required(ErrorMessage = "Transform:BaseUrl is required: the Transform's HTTP address, for the progress of a run's load.")]
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:8083/");

    /// <summary>How long a run's view waits for the progress of its load; past it the view shows none.</summary>
    [Range(100, 30_000, ErrorMessage = "Transform:ProgressTimeoutMilliseconds must be between 100 and 30000.")]
    public int ProgressTimeoutMilliseconds { get; set; } = 2_000;
}

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
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The progress of run {RunId}'s load is not shown: the Transform did not answer ({Error})", runId, exception.Message);
            return null;
        }
    }
}

public static class LoadProgressRegistration
{
    public static IHostApplicationBuilder AddLoadProgress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TransformApiOptions>(TransformApiOptions.Section);
        builder.Services.AddHttpClient<LoadProgressClient>((services, http) =>
        {
            var options = services.GetRequiredService<IOptions<TransformApiOptions>>().Value;
            http.BaseAddress = options.BaseUrl;
            http.Timeout = TimeSpan.FromMilliseconds(options.ProgressTimeoutMilliseconds);
        }).AddHttpMessageHandler<GrowthOs.ServiceDefaults.Security.GatewaySigningHandler>();
        return builder;
    }
}
