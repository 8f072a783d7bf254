namespace GrowthOs.Connector.Klaviyo;

/// <summary>The Klaviyo accounts connected to shops at run time (the Connector's registry), with their private keys.</summary>
public interface IKlaviyoAccounts
{
    ValueTask<KlaviyoAccount?> Of(string shop, CancellationToken cancellationToken);

    /// <summary>Klaviyo refused a connected account's key during a run (401 or 403): its connection is failing, in Klaviyo's words.</summary>
    ValueTask Refused(string accountId, string reason, CancellationToken cancellationToken);
}
