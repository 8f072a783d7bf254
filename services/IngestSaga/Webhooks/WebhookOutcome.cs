using System.Text.Json.Serialization;

namespace GrowthOs.IngestSaga.Webhooks;

/// <summary>
/// The answer to a Shopify webhook: <c>accepted</c>, <c>replayed</c> (delivered before) or <c>no_run</c>; with the run told
/// of a finished bulk operation (absent otherwise).
/// </summary>
public sealed record WebhookOutcome(string Outcome, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? RunId = null);
