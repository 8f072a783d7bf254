namespace GrowthOs.KpiAlert.Alerts;

/// <summary>What one flow or campaign of the shop's e-mail sent over a period, for the rules on unsubscribes and bounces.</summary>
public sealed record EmailSend(string Kind, string ParentId, string? Name, long Recipients, long Delivered, long Unsubscribes, long Bounces);

/// <summary>The days a flow sent on (recipients above zero) over the days the flow rule looks at, in order.</summary>
public sealed record FlowSending(string FlowId, string? Name, IReadOnlyList<DateOnly> Days);
