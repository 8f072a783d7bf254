namespace GrowthOs.Transform.Marts;

public enum Severity
{
    /// <summary>The data cannot be trusted: the run fails loudly.</summary>
    Critical,

    /// <summary>Worth a look; the run goes on.</summary>
    Warning,
}
