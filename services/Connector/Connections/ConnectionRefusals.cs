using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// A provider refused a live connection's credentials during a run (revoked, expired): the connection turns failing with
/// the provider's words, so its schedules stop until a person gives it a new token or checks it again.
/// </summary>
public static class ConnectionRefusals
{
    public static async ValueTask Record(ConnectionRegistry registry, ILogger logger, string provider, string account, string reason,
        CancellationToken cancellationToken)
    {
        if (await registry.Live(provider, account, cancellationToken) is not { Snapshot.Status: ConnectionStatuses.Active or ConnectionStatuses.Pending } live)
            return;
        await registry.RecordCheck(live.Snapshot.ConnectionId, CheckResult.Refused(reason), cancellationToken);
        logger.LogWarning("Connection {ConnectionId} of {ShopDomain} ({Provider}) is failing: its provider refused its credentials", live.Snapshot.ConnectionId,
            live.Snapshot.ShopDomain, provider);
    }
}
