namespace GrowthOs.Transform.Marketing;

/// <summary>An account as a page reports it: its currency, and its time zone when the source says.</summary>
public sealed record ReportedAccount(string AccountId, string CurrencyCode, string? TimeZone);
