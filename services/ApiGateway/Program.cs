using GrowthOs.ApiGateway.Audit;
using GrowthOs.ApiGateway.Dashboard;
using GrowthOs.ApiGateway.Limits;
using GrowthOs.ApiGateway.Proxy;
using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("api-gateway");
builder.AddPostgres("gateway", typeof(Program).Assembly);
builder.AddApiKeys();
builder.AddGatewayAuthorization();
builder.AddGatewayLimits();
builder.AddGatewayTrust();
builder.AddDashboard();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddTransforms(transforms =>
    {
        // The key stops here: the services behind never see it. They see the gateway's word for the caller instead, signed
        // (GatewaySignature); a client's own X-GrowthOs-* headers are dropped first.
        transforms.AddRequestHeaderRemove(ApiKeyOptions.HeaderName);
        foreach (var header in GatewaySignature.Headers) transforms.AddRequestHeaderRemove(header);
        transforms.AddRequestTransform(context =>
        {
            var http = context.HttpContext;
            var secret = http.RequestServices.GetRequiredService<IOptions<GatewayTrustOptions>>().Value.Secret;
            var caller = http.User.Identity is { IsAuthenticated: true, Name: { } keyId } ? keyId : "anonymous";
            var role = http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "anonymous";
            GatewaySignature.Apply((name, value) => context.ProxyRequest.Headers.TryAddWithoutValidation(name, value), secret,
                http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), http.Request.Method, context.Path.Value ?? "/", caller, role);
            return ValueTask.CompletedTask;
        });
        // A shop named in the query reaches the services as it was authorized: trimmed and lower-cased.
        transforms.AddRequestTransform(context =>
        {
            if (RequestShopMiddleware.Of(context.HttpContext).Shop is { } shop && context.Query.Collection.ContainsKey("shop"))
                context.Query.Collection["shop"] = shop;
            return ValueTask.CompletedTask;
        });
    });
builder.Services.AddHttpClient(DownstreamHealthCheck.Client, http => http.Timeout = TimeSpan.FromSeconds(3));
builder.Services.AddHttpClient(GatewayOpenApi.Client, http => http.Timeout = TimeSpan.FromSeconds(5)).AddHttpMessageHandler<GatewaySigningHandler>();
builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", options => options.AddOperationTransformer<RoleOperationTransformer>());
builder.Services.AddHealthChecks().AddCheck<DownstreamHealthCheck>("downstream", tags: [HostingExtensions.ReadyTag]);

var app = builder.Build();
app.MapDefaultEndpoints(openApiPattern: "/openapi/gateway/{documentName}.json");
app.UseDashboard();
app.UseMiddleware<ShopifyWebhookSignature>();
app.UseMiddleware<BodyLimitMiddleware>();
app.UseRouting();
app.UseAuthentication();
app.UseMiddleware<RequestShopMiddleware>();
app.UseMiddleware<AuditMiddleware>();
app.UseRateLimiter();
app.UseAuthorization();
app.MapAdminEndpoints();
app.MapSessionEndpoint();
app.MapGatewayOpenApi();
app.MapReverseProxy();
app.Run();

public partial class Program;
