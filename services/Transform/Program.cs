using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Security;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Transform.Api;
using GrowthOs.Transform.Commerce;
using GrowthOs.Transform.Costs;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marketing;
using GrowthOs.Transform.Marts;
using GrowthOs.Transform.Privacy;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("transform");
builder.AddGatewayTrust();
builder.Services.AddSingleton(TimeProvider.System);
builder.AddPostgres("transform", typeof(Program).Assembly);
builder.AddObjectStore();
builder.AddLoading();
builder.AddCosts();
builder.AddMarts();
builder.AddMarketing();
builder.AddCommerceEvents();
builder.Services.AddSingleton<CustomerRedactions>();
builder.AddGrowthOsBus(bus =>
{
    bus.AddConsumers(typeof(Program).Assembly);
    bus.AddConnectionCopy("transform");
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseGatewayTrust();
app.MapTransformApi();
app.MapCosts();
app.Run();
