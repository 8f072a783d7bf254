using System.ComponentModel.DataAnnotations;
using GrowthOs.ServiceDefaults.Scheduling;

namespace GrowthOs.IngestSaga.Schedules;

public sealed class ScheduleOptions : IValidatableObject
{
    public const string Section = "Schedules";

    public bool Enabled { get; set; } = true;

    /// <summary>When a shop without its own schedule is synced: every day at 06:00 UTC.</summary>
    public string DefaultCron { get; set; } = "0 6 * * *";

    /// <summary>Shops whose daily sync runs at another time.</summary>
    public List<ShopSchedule> Shops { get; set; } = [];

    [Range(100, 600_000, ErrorMessage = "Schedules:ScanIntervalMilliseconds must be between 100 and 600000.")]
    public int ScanIntervalMilliseconds { get; set; } = 15_000;

    public string CronFor(string shop) =>
        Shops.FirstOrDefault(s => string.Equals(s.Shop, shop, StringComparison.OrdinalIgnoreCase))?.Cron ?? DefaultCron;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronExpression.TryParse(DefaultCron, out _, out var error))
            yield return new ValidationResult($"Schedules:DefaultCron is not valid: {error}", [nameof(DefaultCron)]);
        for (var i = 0; i < Shops.Count; i++)
            if (!CronExpression.TryParse(Shops[i].Cron, out _, out var shopError))
                yield return new ValidationResult($"Schedules:Shops:{i}:Cron is not valid: {shopError}", [nameof(Shops)]);
    }
}
