namespace GrowthOs.Transform.Marts;

public sealed record DataQualityOutcome(string Check, Severity Severity, long Violations)
{
    public bool Passed => Violations == 0;
}
