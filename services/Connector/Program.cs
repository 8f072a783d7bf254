using GrowthOs.Connector.Connections;
using GrowthOs.Connector.Extraction;
using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.GoogleAds;
using GrowthOs.Connector.Klaviyo;
using GrowthOs.Connector.Meta;
using GrowthOs.Connector.Shopify;
using GrowthOs.Connector.Telemetry;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Security;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("connector");
builder.AddGatewayTrust();
builder.AddConnections();
builder.AddObjectStore();
builder.AddShopify();
builder.AddMeta();
builder.AddGoogleAds();
builder.AddGa4();
builder.AddKlaviyo();
builder.AddGrowthOsBus(bus => bus.AddConsumers(typeof(StartBulkExtractionConsumer).Assembly),
    (context, bus) => bus.UseConsumeFilter(typeof(ApiCallJournalFilter<>), context));

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseGatewayTrust();
app.MapConnections();
app.MapShopifyInstall();
app.MapGoogleConnect();
app.Run();
