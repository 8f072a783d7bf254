namespace GrowthOs.Connector.Meta;

/// <summary>The ad accounts connected to shops at run time (the Connector's registry), with their tokens.</summary>
public interface IMetaAccounts
{
    ValueTask<MetaAccount?> Of(string shop, CancellationToken cancellationToken);

    /// <summary>Meta refused a connected account's token during a run (code 190): its connection is failing, in Meta's words.</summary>
    ValueTask Refused(string adAccountId, string reason, CancellationToken cancellationToken);
}
