using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>The shop's row of <c>sending_stats_30d</c>: e-mails sent in its last 30 reporting days, by kind, as last rebuilt.</summary>
public sealed record SendingStats(
    DateOnly WindowStart,
    DateOnly WindowEnd,
    [property: JsonPropertyName("emails_30d")] long Emails30d,
    [property: JsonPropertyName("automation_emails_30d")] long AutomationEmails30d,
    [property: JsonPropertyName("campaign_emails_30d")] long CampaignEmails30d,
    [property: JsonPropertyName("transactional_emails_30d")] long TransactionalEmails30d,
    DateTimeOffset UpdatedAt);
