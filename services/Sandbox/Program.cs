using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Ga4;
using GrowthOs.Sandbox.GoogleAds;
using GrowthOs.Sandbox.GoogleOAuth;
using GrowthOs.Sandbox.Meta;
using GrowthOs.Sandbox.Shopify;
using GrowthOs.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("sandbox");
builder.Services.AddValidatedOptions<SandboxOptions>(SandboxOptions.Section);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DemoShops>();
builder.Services.AddSingleton<SandboxBulkOperations>();
builder.Services.AddSingleton<BulkResults>();
builder.Services.AddSingleton<WebhookSubscriptions>();
builder.Services.AddSingleton<CostBucket>();
builder.Services.AddSingleton<FailureSwitches>();
builder.Services.AddSingleton<SandboxShopify>();
builder.Services.AddHttpClient(WebhookDeliveries.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
builder.Services.AddHostedService<WebhookDeliveries>();
builder.Services.AddSingleton<AppInstallations>();
builder.Services.AddSingleton<ComplianceRequests>();
builder.Services.AddSingleton<ShopifyOAuth>();
builder.Services.AddSingleton<MetaGraphApi>();
builder.Services.AddSingleton<GoogleOAuthApi>();
builder.Services.AddSingleton<GoogleAdsApi>();
builder.Services.AddSingleton<Ga4DataApi>();
builder.Services.AddSingleton<Ga4AdminApi>();

var app = builder.Build();
// The Sandbox answers errors in the shapes of the APIs it emulates, never with problem bodies of its own.
app.MapDefaultEndpoints(problemBodies: false);
app.MapShopifyGraphQl();
ShopifyOAuth.MapShopifyOAuth(app);
AppInstallations.MapAppInstallations(app);
ComplianceRequests.MapComplianceRequests(app);
MetaGraphApi.MapMetaGraphApi(app);
GoogleOAuthApi.MapGoogleOAuth(app);
GoogleAdsApi.MapGoogleAdsApi(app);
Ga4DataApi.MapGa4DataApi(app);
Ga4AdminApi.MapGa4AdminApi(app);
app.Run();

public partial class Program;
