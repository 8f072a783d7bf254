using GrowthOs.Contracts.Connections;
using MassTransit;
using Npgsql;

namespace GrowthOs.KpiAlert.Privacy;

/// <summary>
/// Shopify's <c>customers/redact</c>, the KPI/Alert service's part: its copy of the customer's days
/// (<c>kpi.customer_day</c>, what the new and returning customer figures count) no longer names the customer, and its id is
/// kept (<c>kpi.redacted_customer</c>) so that a copy of a day computed before the Transform forgot the customer, heard
/// after this, leaves it out too. The days' totals stay.
/// </summary>
public sealed class KpiCustomerRedactConsumer(NpgsqlDataSource dataSource, ILogger<KpiCustomerRedactConsumer> logger) : IConsumer<CustomerRedactRequested>
{
    public async Task Consume(ConsumeContext<CustomerRedactRequested> context)
    {
        await using var command = dataSource.CreateCommand("""
            WITH remembered AS (INSERT INTO kpi.redacted_customer (shop_domain, customer_id) VALUES (@shop, @customer) ON CONFLICT DO NOTHING)
            DELETE FROM kpi.customer_day WHERE shop_domain = @shop AND customer_id = @customer
            """);
        command.Parameters.AddWithValue("shop", context.Message.ShopDomain);
        command.Parameters.AddWithValue("customer", context.Message.CustomerId);
        var removed = await command.ExecuteNonQueryAsync(context.CancellationToken);
        logger.LogInformation("Customer {CustomerId} of {ShopDomain} redacted: {Removed} customer days removed", context.Message.CustomerId,
            context.Message.ShopDomain, removed);
    }
}
