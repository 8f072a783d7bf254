namespace GrowthOs.Transform.Marts;

/// <summary>A check: SQL that counts the rows of one shop (<c>@shop</c>) violating it; zero passes.</summary>
public sealed record DataQualityCheck(string Name, Severity Severity, string Description, string Sql);
