using GrowthOs.ApiGateway.Audit;
using GrowthOs.Contracts.Connections;
using MassTransit;

namespace GrowthOs.ApiGateway.Privacy;

/// <summary>
/// A customer's data request answered: the audit log keeps it beside every other action, as done by <c>shopify</c>,
/// naming the data request and the archived report (<c>WEBHOOK customers/data_request</c>). Heard twice, it is written once.
/// </summary>
public sealed class CustomerDataReportedConsumer(AuditLog audit) : IConsumer<CustomerDataReported>
{
    public Task Consume(ConsumeContext<CustomerDataReported> context)
    {
        var message = context.Message;
        return audit.RecordOnce(message.ReportedAt, "shopify", "WEBHOOK",
            $"customers/data_request {message.DataRequestId} of customer {message.CustomerId}: {message.ArchiveKey}", message.ShopDomain,
            context.CancellationToken);
    }
}
