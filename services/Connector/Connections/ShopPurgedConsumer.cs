using System.Text.Json;
using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.GoogleAds;
using GrowthOs.Connector.Meta;
using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>Keeps each service's answer to a purge.</summary>
public sealed class ShopPurgedConsumer(ShopPurges purges) : IConsumer<ShopPurged>
{
    public Task Consume(ConsumeContext<ShopPurged> context) => purges.Record(context.Message, context.CancellationToken);
}
