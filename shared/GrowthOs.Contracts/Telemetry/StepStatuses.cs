namespace GrowthOs.Contracts.Telemetry;

/// <summary>What a <see cref="SyncStepChanged"/> says of its step.</summary>
public static class StepStatuses
{
    /// <summary>The run entered the step.</summary>
    public const string Started = "started";

    /// <summary>The run completed (step <c>completed</c>).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The run ended with some entity skipped, failed or loaded from partial data (step <c>partial</c>).</summary>
    public const string Partial = "partial";

    /// <summary>The run failed (step <c>failed</c>).</summary>
    public const string Failed = "failed";
}
