using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>A missing or invalid setting stops a service at start with a message that names the setting.</summary>
public sealed class StartupValidationTests
{
    private static readonly Dictionary<string, string> Base = new(LocalInfrastructure.ServiceCredentials)
    {
        ["Gateway__Secret"] = RunningSystem.GatewaySecret,
        ["RabbitMq__Port"] = LocalInfrastructure.AmqpPort.ToString(),
        ["S3__ServiceUrl"] = LocalInfrastructure.S3ServiceUrl,
        ["ConnectionStrings__Postgres"] = LocalInfrastructure.PostgresConnectionString("growthos_never_created"),
        ["Connections__EncryptionKeys__0__Id"] = "startup",
        ["Connections__EncryptionKeys__0__Key"] = RunningSystem.ConnectionsKey,
    };

    [Theory]
    [InlineData("Connector", "Shopify__ApiVersion", "latest", "Shopify:ApiVersion")]
    [InlineData("Connector", "Shopify__BaseUrlTemplate", "ftp://shop", "Shopify:BaseUrlTemplate")]
    [InlineData("IngestSaga", "BulkSync__PollIntervalSeconds", "0", "BulkSync:PollIntervalSeconds")]
    [InlineData("Transform", "ConnectionStrings__Postgres", "", "ConnectionStrings:Postgres")]
    [InlineData("KpiAlert", "RabbitMq__Port", "70000", "RabbitMq:Port")]
    [InlineData("Transform", "S3__Bucket", "", "S3:Bucket")]
    [InlineData("Connector", "Shopify__Shops__0__Domain", "a-shop.myshopify.com", "Shopify:Shops:0:AccessToken")]
    [InlineData("Connector", "Meta__Accounts__0__AdAccountId", "act_123", "Meta:Accounts:0:AdAccountId")]
    [InlineData("Connector", "Connections__EncryptionKeys__0__Key", "c2hvcnQ=", "Connections:EncryptionKeys:0:Key")]
    [InlineData("Transform", "Marts__Inventory__VelocityDays", "0", "Marts:Inventory:VelocityDays")]
    [InlineData("Transform", "Marts__Segments__ActiveDays", "-3", "Marts:Segments:ActiveDays")]
    public async Task An_invalid_setting_stops_the_service_with_a_message_naming_it(string service, string variable, string value, string setting)
    {
        var environment = new Dictionary<string, string>(Base) { [variable] = value };
        using var process = ServiceProcess.Start(service, 1, environment);

        var output = await process.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.Contains(setting, output);
    }

    [Theory]
    [InlineData("IngestSaga", "RabbitMq", new[] { "RabbitMq:Username", "RabbitMq:Password" })]
    [InlineData("Connector", "S3", new[] { "S3:AccessKey", "S3:SecretKey" })]
    [InlineData("Transform", "ConnectionStrings", new[] { "ConnectionStrings:Postgres" })]
    [InlineData("KpiAlert", "Gateway", new[] { "Gateway:Secret" })]
    public async Task Outside_development_no_login_falls_back_to_a_default(string service, string omitted, string[] settings)
    {
        var environment = Base.Where(setting => !setting.Key.StartsWith(omitted + "__", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Key, setting => setting.Value);
        using var process = ServiceProcess.Start(service, 1, environment);

        var output = await process.WaitForExit(TimeSpan.FromSeconds(60));

        foreach (var setting in settings) Assert.Contains(setting, output);
    }
}
