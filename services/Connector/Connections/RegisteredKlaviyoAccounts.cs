using GrowthOs.Connector.Klaviyo;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>The Klaviyo account connected to a shop at run time, with its private key, for the Connector's calls to Klaviyo.</summary>
public sealed class RegisteredKlaviyoAccounts(ConnectionRegistry registry, ILogger<RegisteredKlaviyoAccounts> logger) : IKlaviyoAccounts
{
    public ValueTask Refused(string accountId, string reason, CancellationToken cancellationToken) =>
        ConnectionRefusals.Record(registry, logger, ConnectionProviders.Klaviyo, accountId, reason, cancellationToken);

    public async ValueTask<KlaviyoAccount?> Of(string shop, CancellationToken cancellationToken) =>
        await registry.UsableOf(shop, ConnectionProviders.Klaviyo, cancellationToken) is (var live, var credentials)
            ? new KlaviyoAccount { Shop = shop, AccountId = live.Snapshot.Account, PrivateKey = credentials.AccessToken, Connected = true }
            : null;
}
