using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Transform.Loading;

public sealed class UpsertOptions
{
    public const string Section = "Upsert";

    /// <summary>Records per chunk; each chunk commits in its own transaction.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Upsert:ChunkSize must be between 1 and 1000000.")]
    public int ChunkSize { get; set; } = 5_000;
}
