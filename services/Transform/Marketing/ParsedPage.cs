namespace GrowthOs.Transform.Marketing;

/// <summary>What a page held: its rows, the accounts they belong to, and the rows left out with the reason for each.</summary>
public sealed class ParsedPage
{
    public List<AdCampaignDay> Campaigns { get; } = [];
    public List<TrafficChannelDay> Traffic { get; } = [];
    public HashSet<ReportedAccount> Accounts { get; } = [];
    public List<string> Rejected { get; } = [];
    public int Rows => Campaigns.Count + Traffic.Count;
}
