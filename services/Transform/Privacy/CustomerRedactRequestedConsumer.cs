using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;

namespace GrowthOs.Transform.Privacy;

/// <summary>
/// Shopify's <c>customers/redact</c>: the Transform forgets the customer (<see cref="CustomerRedactions"/>), and the reports
/// of what was held on it (its data requests' answers in the archive) go too. The archived bulk files keep its lines, its
/// e-mail only as a hash: they are the record of what Shopify answered, and every load of them is held to the redaction.
/// </summary>
public sealed class CustomerRedactRequestedConsumer(CustomerRedactions redactions, ObjectStore store, ILogger<CustomerRedactRequestedConsumer> logger)
    : IConsumer<CustomerRedactRequested>
{
    public async Task Consume(ConsumeContext<CustomerRedactRequested> context)
    {
        // The reports first: once the customer's row is gone, nothing of it is left anywhere.
        var reports = await store.DeletePrefix(CustomerDataRequestedConsumer.FolderOf(context.Message.ShopDomain, context.Message.CustomerId),
            context.CancellationToken);
        var changed = await redactions.Redact(context.Message, context.CancellationToken);
        changed["objects:compliance/{shop}/customers/{customer}/"] = reports;
        logger.LogInformation("Customer {CustomerId} of {ShopDomain} redacted (webhook {WebhookId}): {Changed}", context.Message.CustomerId,
            context.Message.ShopDomain, context.Message.WebhookId, string.Join(", ", changed.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}")));
    }
}
