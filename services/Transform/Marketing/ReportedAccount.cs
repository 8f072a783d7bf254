using System.Globalization;
using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Marketing;

/// <summary>An account as a page reports it: its currency, and its time zone when the source says.</summary>
public sealed record ReportedAccount(string AccountId, string CurrencyCode, string? TimeZone);
