using GrowthOs.Connector.Marketing;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// The Google Ads customers and GA4 properties connected to shops at run time, with their refresh tokens, for the Connector's calls to Google.
/// </summary>
public sealed class RegisteredGoogleAccounts(ConnectionRegistry registry, ILogger<RegisteredGoogleAccounts> logger) : IGoogleAccounts
{
    public ValueTask Refused(string provider, string account, string reason, CancellationToken cancellationToken) =>
        ConnectionRefusals.Record(registry, logger, provider, account, reason, cancellationToken);

    public async ValueTask<GoogleConnectedAccount?> Of(string shop, string provider, CancellationToken cancellationToken)
    {
        if (await registry.UsableOf(shop, provider, cancellationToken) is not (var live, { RefreshToken: { Length: > 0 } refreshToken })) return null;
        return new GoogleConnectedAccount(shop, live.Snapshot.Account, live.Snapshot.LoginCustomerId, refreshToken);
    }
}
