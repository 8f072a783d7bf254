using GrowthOs.ApiGateway.Proxy;
using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("api-gateway");
builder.AddApiKeys();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHttpClient(DownstreamHealthCheck.Client, http => http.Timeout = TimeSpan.FromSeconds(3));
builder.Services.AddHealthChecks().AddCheck<DownstreamHealthCheck>("downstream", tags: [HostingExtensions.ReadyTag]);

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseMiddleware<ShopifyWebhookSignature>();
app.UseMiddleware<ApiKeyMiddleware>();
app.MapReverseProxy();
app.Run();

public partial class Program;
