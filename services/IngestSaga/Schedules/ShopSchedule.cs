namespace GrowthOs.IngestSaga.Schedules;

public sealed class ShopSchedule
{
    public string Shop { get; set; } = "";
    public string Cron { get; set; } = "";
}
