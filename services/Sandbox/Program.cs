using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.GoogleOAuth;
using GrowthOs.Sandbox.Klaviyo;
using GrowthOs.Sandbox.Meta;
using GrowthOs.Sandbox.Shopify;
using GrowthOs.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("sandbox");
builder.AddDemoData();
builder.AddShopifySandbox();
builder.AddMetaSandbox();
builder.AddGoogleSandbox();
builder.AddKlaviyoSandbox();

var app = builder.Build();
// The Sandbox answers errors in the shapes of the APIs it emulates, never with problem bodies of its own.
app.MapDefaultEndpoints(problemBodies: false);
app.MapShopifySandbox();
app.MapMetaSandbox();
app.MapGoogleSandbox();
app.MapKlaviyoSandbox();
app.Run();

public partial class Program;
