namespace GrowthOs.Connector.Meta;

/// <summary>
/// What Meta says of an ad account: its name, currency, IANA time zone and <c>account_status</c> (1 active, 2 disabled,
/// 3 unsettled, 7 pending risk review, 8 pending settlement, 9 in grace period, 100 pending closure, 101 closed).
/// </summary>
public sealed record MetaAccountInfo(string? Name, string? Currency, string? TimeZone, int? AccountStatus)
{
    public string StatusName => AccountStatus switch
    {
        1 => "ACTIVE",
        2 => "DISABLED",
        3 => "UNSETTLED",
        7 => "PENDING_RISK_REVIEW",
        8 => "PENDING_SETTLEMENT",
        9 => "IN_GRACE_PERIOD",
        100 => "PENDING_CLOSURE",
        101 => "CLOSED",
        null => "UNKNOWN",
        _ => $"STATUS_{AccountStatus}",
    };

    /// <summary>An account whose ads cannot run (disabled, closing or closed) is not synced.</summary>
    public bool Usable => AccountStatus is not (2 or 100 or 101);
}
