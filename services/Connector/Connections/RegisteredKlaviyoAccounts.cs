using GrowthOs.Connector.Klaviyo;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>The Klaviyo account connected to a shop at run time, with its private key, for the Connector's calls to Klaviyo.</summary>
public sealed class RegisteredKlaviyoAccounts(ConnectionRegistry registry, ILogger<RegisteredKlaviyoAccounts> logger) : IKlaviyoAccounts
{
    public ValueTask Refused(string accountId, string reason, CancellationToken cancellationToken) =>
        ConnectionRefusals.Record(registry, logger, ConnectionProviders.Klaviyo, accountId, reason, cancellationToken);

    public async ValueTask<KlaviyoAccount?> Of(string shop, CancellationToken cancellationToken)
    {
        var live = (await registry.LiveOfShop(shop, cancellationToken))
            .FirstOrDefault(c => c.Snapshot.Provider == ConnectionProviders.Klaviyo
                && c.Snapshot.Status is ConnectionStatuses.Active or ConnectionStatuses.Pending);
        if (live is null || await registry.CredentialsOf(live.Snapshot.ConnectionId, cancellationToken) is not { } credentials) return null;
        return new KlaviyoAccount { Shop = shop, AccountId = live.Snapshot.Account, PrivateKey = credentials.AccessToken, Connected = true };
    }
}
