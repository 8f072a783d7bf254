namespace GrowthOs.Connector.Marketing;

/// <summary>The Google accounts connected to shops at run time (the Connector's registry), one of each provider a shop.</summary>
public interface IGoogleAccounts
{
    ValueTask<GoogleConnectedAccount?> Of(string shop, string provider, CancellationToken cancellationToken);

    /// <summary>
    /// Google refused a connected account's grant during a run (revoked, expired, access removed): its connection is failing, in Google's words.
    /// </summary>
    ValueTask Refused(string provider, string account, string reason, CancellationToken cancellationToken);
}
