namespace GrowthOs.IngestSaga.MarketingSync;

public sealed class MarketingShop
{
    public string Shop { get; set; } = "";
    /// <summary>Empty: every source.</summary>
    public List<string> Sources { get; set; } = [];
    public string? Cron { get; set; }
}
