using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>What a provider answered a connection's check.</summary>
public sealed record CheckResult(string Status, string? Reason, string? Name = null, string? CurrencyCode = null, string? TimeZone = null, string? Plan = null,
    string? AccountStatus = null)
{
    public static CheckResult Active(string? name, string? currency, string? timeZone, string? plan, string? accountStatus) =>
        new(ConnectionStatuses.Active, null, name, currency, timeZone, plan, accountStatus);

    /// <summary>The provider refused the credentials or the account: the connection is failing, in the provider's words.</summary>
    public static CheckResult Refused(string reason) => new(ConnectionStatuses.Failing, reason);

    /// <summary>The provider could not be asked (down, timed out): the connection stays pending and is checked again.</summary>
    public static CheckResult Unavailable(string reason) => new(ConnectionStatuses.Pending, reason);
}
