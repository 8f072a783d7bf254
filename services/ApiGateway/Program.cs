using GrowthOs.ApiGateway.Audit;
using GrowthOs.ApiGateway.Dashboard;
using GrowthOs.ApiGateway.Limits;
using GrowthOs.ApiGateway.Privacy;
using GrowthOs.ApiGateway.Proxy;
using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("api-gateway");
builder.AddPostgres("gateway", typeof(Program).Assembly);
builder.AddApiKeys();
builder.AddGatewayAuthorization();
builder.AddGatewayLimits();
builder.AddGatewayTrust();
builder.AddDashboard();
builder.Services.AddSingleton<AuditLog>();
// The gateway hears only a shop's purge and a customer's answered data request on the bus; it serves every request without it.
builder.AddGrowthOsBus(bus =>
{
    bus.AddConsumer<GatewayShopPurgeConsumer>();
    bus.AddConsumer<CustomerDataReportedConsumer>();
}, essential: false);
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddGatewayTransforms();
builder.Services.AddHttpClient(DownstreamHealthCheck.Client, http => http.Timeout = TimeSpan.FromSeconds(3));
builder.Services.AddHttpClient(GatewayOpenApi.Client, http => http.Timeout = TimeSpan.FromSeconds(5)).AddHttpMessageHandler<GatewaySigningHandler>();
builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", options => options.AddOperationTransformer<RoleOperationTransformer>());
builder.Services.AddHealthChecks().AddCheck<DownstreamHealthCheck>("downstream", tags: [HostingExtensions.ReadyTag]);

var app = builder.Build();
app.UseKnownProxies();
app.MapDefaultEndpoints(openApiPattern: "/openapi/gateway/{documentName}.json");
app.UseDashboard();
app.UseMiddleware<ShopifyWebhookSignature>();
app.UseMiddleware<BodyLimitMiddleware>();
app.UseRouting();
app.UseAuthentication();
app.UseMiddleware<RequestShopMiddleware>();
// Limits first: a flood is refused before the audit log is written for it.
app.UseRateLimiter();
app.UseMiddleware<AuditMiddleware>();
app.UseAuthorization();
app.MapAdminEndpoints();
app.MapApiKeyEndpoints();
app.MapSessionEndpoint();
app.MapGatewayOpenApi();
app.MapReverseProxy();
app.Run();

public partial class Program;
