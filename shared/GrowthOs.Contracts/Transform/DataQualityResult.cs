namespace GrowthOs.Contracts.Transform;

/// <summary>One check: its name, <c>critical</c> or <c>warning</c>, and the rows that violate it (it passes with none).</summary>
public record DataQualityResult(
    string Check,
    string Severity,
    long Violations,
    bool Passed);
