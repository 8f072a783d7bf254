namespace GrowthOs.Contracts.Transform;

/// <summary>A Transform step failed; <paramref name="Step"/> is <c>upserting</c> (of <paramref name="ArchiveKey"/>) or <c>transforming</c>.</summary>
public record TransformFailed(
    Guid RunId,
    string ShopDomain,
    string Step,
    string Reason,
    string? ArchiveKey = null);
