using System.ComponentModel.DataAnnotations;

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
