using GrowthOs.Connector.Meta;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>The ad account connected to a shop at run time, with its token, for the Connector's calls to Meta.</summary>
public sealed class RegisteredMetaAccounts(ConnectionRegistry registry, ILogger<RegisteredMetaAccounts> logger) : IMetaAccounts
{
    public ValueTask Refused(string adAccountId, string reason, CancellationToken cancellationToken) =>
        ConnectionRefusals.Record(registry, logger, ConnectionProviders.Meta, adAccountId, reason, cancellationToken);

    public async ValueTask<MetaAccount?> Of(string shop, CancellationToken cancellationToken) =>
        await registry.UsableOf(shop, ConnectionProviders.Meta, cancellationToken) is (var live, var credentials)
            ? new MetaAccount { Shop = shop, AdAccountId = live.Snapshot.Account, AccessToken = credentials.AccessToken, Connected = true }
            : null;
}
