namespace GrowthOs.Transform.Api;

/// <summary>A pipeline expected after every sync of the shop that has not succeeded today in the shop's reporting time zone.</summary>
public sealed record EtlStatusAlert(string Shop, string Pipeline, string Severity, string Message);
