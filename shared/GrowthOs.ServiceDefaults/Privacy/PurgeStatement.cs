namespace GrowthOs.ServiceDefaults.Privacy;

/// <summary>A statement that removes rows of the shop (<c>@shop</c>) from one table, run before the sweep of the <c>shop_domain</c> columns.</summary>
public sealed record PurgeStatement(string Table, string Sql);
