using System.ComponentModel.DataAnnotations;
using GrowthOs.Contracts.Extraction;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>Every entity named must be one a sync can extract.</summary>
public sealed class KnownEntitiesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is IEnumerable<string> entities && entities.Except(Entities.All).ToList() is { Count: > 0 } unknown
            ? new ValidationResult($"BulkSync:DefaultEntities names unknown entities ({string.Join(", ", unknown)}); known: {string.Join(", ", Entities.All)}.")
            : ValidationResult.Success;
}
