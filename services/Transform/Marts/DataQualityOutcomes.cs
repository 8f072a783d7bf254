using GrowthOs.Contracts.Transform;

namespace GrowthOs.Transform.Marts;

/// <summary>What a run's check outcomes mean: the critical failures that fail it, and the event that tells subscribers.</summary>
public static class DataQualityOutcomes
{
    public static IReadOnlyList<DataQualityOutcome> CriticalFailures(IEnumerable<DataQualityOutcome> outcomes) =>
        outcomes.Where(o => !o.Passed && o.Severity == Severity.Critical).ToList();

    public static DataQualityChecked Checked(Guid runId, string shop, DateTimeOffset checkedAt, IEnumerable<DataQualityOutcome> outcomes) =>
        new(runId, shop, checkedAt,
            outcomes.Select(o => new DataQualityResult(o.Check, o.Severity.ToString().ToLowerInvariant(), o.Violations, o.Passed)).ToList());
}
