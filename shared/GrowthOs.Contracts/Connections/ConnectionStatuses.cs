namespace GrowthOs.Contracts.Connections;

/// <summary>
/// Where a connection stands: <c>pending</c> until its provider answered its check (a provider that was down leaves it
/// pending, checked again), <c>active</c> once it did, <c>failing</c> when the provider refused it (its reason said),
/// <c>paused</c> by a person, <c>disconnected</c> once deleted or uninstalled (its credentials destroyed).
/// </summary>
public static class ConnectionStatuses
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Failing = "failing";
    public const string Paused = "paused";
    public const string Disconnected = "disconnected";
}
