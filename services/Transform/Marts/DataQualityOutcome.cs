using GrowthOs.Contracts.Transform;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

public sealed record DataQualityOutcome(string Check, Severity Severity, long Violations)
{
    public bool Passed => Violations == 0;
}
