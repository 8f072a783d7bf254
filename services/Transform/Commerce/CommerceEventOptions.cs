using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Transform.Commerce;

public sealed class CommerceEventOptions
{
    public const string Section = "CommerceEvents";

    /// <summary>Pause between two looks at the outbox when it is empty.</summary>
    [Range(10, 60_000, ErrorMessage = "CommerceEvents:PollMilliseconds must be between 10 and 60000.")]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>Events published per transaction.</summary>
    [Range(1, 10_000, ErrorMessage = "CommerceEvents:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Days a published event is kept in the outbox before it is deleted (an hourly pass). An order version that was
    /// loaded once makes no event when it is loaded again, kept or not: its event is known by the order's row.
    /// </summary>
    [Range(1, 365, ErrorMessage = "CommerceEvents:RetentionDays must be between 1 and 365.")]
    public int RetentionDays { get; set; } = 7;
}
