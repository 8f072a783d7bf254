using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using GrowthOs.Connector.Shopify;
using GrowthOs.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>
/// Every documented way of pointing the Connector at a real shop gives it the URL and the token the README says:
/// run.sh's variables, through deploy/local/services.sh, and docker-compose's, through .env and docker-compose.yml (the
/// shop's token reaching the Connector through the connections API, from run.sh or compose's connect service). The
/// settings each way produces are given to the Connector's own client, whose first call a stand-in records.
/// </summary>
public sealed partial class RealShopSettingsTests
{
    private const string RealTemplate = "https://{shop}";
    private const string RealShop = "your-store.myshopify.com";
    private const string RealToken = "shpat_real_store_token_0123456789";

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task RunSh_points_the_Connector_at_a_real_shop_whose_token_reaches_it_through_the_connections_api_only()
    {
        var settings = await ServicesShEnvironment(new()
        {
            ["GROWTHOS_SHOPIFY_BASE_URL"] = RealTemplate,
            ["GROWTHOS_SHOP"] = RealShop,
            ["GROWTHOS_SHOP_TOKEN"] = RealToken,
        });

        // run.sh gives the token to POST /api/connections; no setting of the Connector holds it, and without the app's
        // client credentials there is no install flow.
        Assert.DoesNotContain(settings, setting => !setting.Key.StartsWith("GROWTHOS_", StringComparison.Ordinal)
            && setting.Value.Contains(RealToken, StringComparison.Ordinal));
        Assert.False(settings.ContainsKey("Shopify__ClientId"));
        var (url, token) = await FirstCall(settings, RealShop, connectedToken: RealToken);

        Assert.Equal($"https://{RealShop}/admin/api/2026-01/graphql.json", url);
        Assert.Equal(RealToken, token);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task RunSh_without_variables_points_the_Connector_at_the_Sandboxs_demo_shop_and_app()
    {
        var settings = await ServicesShEnvironment(new());

        Assert.Equal("sandbox-shopify-client-id", settings["Shopify__ClientId"]);
        Assert.Equal("shpss_sandbox_app_secret", settings["Shopify__ClientSecret"]);
        Assert.Equal("http://127.0.0.1:8080/api/connections/shopify/callback", settings["Shopify__InstallRedirectUri"]);
        var (url, token) = await FirstCall(settings, "demo-shop.myshopify.com", connectedToken: "shpat_sandbox_demo_token");

        Assert.Equal("http://127.0.0.1:8090/demo-shop.myshopify.com/admin/api/2026-01/graphql.json", url);
        Assert.Equal("shpat_sandbox_demo_token", token);
    }

    [Fact]
    public async Task Compose_variables_for_a_real_shop_reach_the_Connector_through_the_connect_service_only()
    {
        var shell = new Dictionary<string, string>
        {
            ["SHOPIFY_BASE_URL_TEMPLATE"] = RealTemplate,
            ["SHOPIFY_SHOP"] = RealShop,
            ["SHOPIFY_ACCESS_TOKEN"] = RealToken,
        };
        var settings = ComposeEnvironment("connector", shell);
        var connect = ComposeEnvironment("connect", shell);

        // The connect service gives the token to POST /api/connections; no setting of the Connector names the shop or holds it.
        Assert.DoesNotContain(settings, setting => setting.Value.Contains(RealToken, StringComparison.Ordinal)
            || setting.Value.Contains(RealShop, StringComparison.Ordinal));
        Assert.Equal(RealShop, connect["CONNECT_SHOP"]);
        var (url, token) = await FirstCall(settings, RealShop, connectedToken: connect["CONNECT_SHOP_TOKEN"]);

        Assert.Equal($"https://{RealShop}/admin/api/2026-01/graphql.json", url);
        Assert.Equal(RealToken, token);
    }

    [Fact]
    public async Task Compose_without_variables_installs_the_Sandboxs_demo_shop_through_the_Sandboxs_app()
    {
        var settings = ComposeEnvironment("connector", new());
        var connect = ComposeEnvironment("connect", new());

        Assert.Equal("sandbox-shopify-client-id", settings["Shopify__ClientId"]);
        Assert.Equal("shpss_sandbox_app_secret", settings["Shopify__ClientSecret"]);
        Assert.Equal("http://127.0.0.1:8080/api/connections/shopify/callback", settings["Shopify__InstallRedirectUri"]);
        Assert.Equal("demo-shop.myshopify.com", connect["CONNECT_SHOP"]);
        Assert.Equal("", connect["CONNECT_SHOP_TOKEN"]);
        Assert.Equal("http://api-gateway:8080", connect["GROWTHOS_GATEWAY"]);
        Assert.DoesNotContain(settings.Keys, key => key.Contains("__Shops__", StringComparison.Ordinal)
            || key.Contains("__Accounts__", StringComparison.Ordinal) || key.Contains("__Customers__", StringComparison.Ordinal)
            || key.Contains("__Properties__", StringComparison.Ordinal));
        var (url, token) = await FirstCall(settings, "demo-shop.myshopify.com", connectedToken: "shpat_sandbox_demo_token");

        Assert.Equal("http://sandbox:8080/demo-shop.myshopify.com/admin/api/2026-01/graphql.json", url);
        Assert.Equal("shpat_sandbox_demo_token", token);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task RunSh_subscribes_a_real_shop_to_webhooks_only_at_the_public_address_given()
    {
        var real = new Dictionary<string, string>
        {
            ["GROWTHOS_SHOPIFY_BASE_URL"] = RealTemplate, ["GROWTHOS_SHOP"] = RealShop, ["GROWTHOS_SHOP_TOKEN"] = RealToken,
        };
        var pollingOnly = await ServicesShEnvironment(new(real));
        Assert.Equal("", pollingOnly["Shopify__WebhookCallbackUrl"]);
        Assert.Equal("false", pollingOnly["BulkSync__CompletionWebhooks"]);

        var withWebhooks = await ServicesShEnvironment(new(real)
        {
            ["GROWTHOS_WEBHOOK_URL"] = "https://growth.example.com/webhooks/shopify",
            ["GROWTHOS_SHOPIFY_APP_SECRET"] = "shpss_real_app_secret",
        });
        Assert.Equal("https://growth.example.com/webhooks/shopify", withWebhooks["Shopify__WebhookCallbackUrl"]);
        Assert.Equal("true", withWebhooks["BulkSync__CompletionWebhooks"]);
        Assert.Equal("shpss_real_app_secret", withWebhooks["ShopifyWebhooks__Secret"]);

        var demo = await ServicesShEnvironment(new());
        Assert.Equal("http://127.0.0.1:8080/webhooks/shopify", demo["Shopify__WebhookCallbackUrl"]);
    }

    [Fact]
    public void Compose_gives_the_webhook_address_to_the_Connector_and_the_app_secret_to_the_gateway()
    {
        Assert.Equal("https://growth.example.com/webhooks/shopify",
            ComposeEnvironment("connector", new() { ["SHOPIFY_WEBHOOK_URL"] = "https://growth.example.com/webhooks/shopify" })["Shopify__WebhookCallbackUrl"]);
        Assert.Equal("shpss_real_app_secret", ComposeEnvironment("api-gateway", new()
        {
            ["SHOPIFY_APP_SECRET"] = "shpss_real_app_secret", ["GROWTHOS_API_KEY_SALT"] = "00112233445566778899aabbccddeeff",
            ["GROWTHOS_API_KEY_SHA256"] = new string('a', 64),
        })["ShopifyWebhooks__Secret"]);
        Assert.Equal("http://api-gateway:8080/webhooks/shopify", ComposeEnvironment("connector", new())["Shopify__WebhookCallbackUrl"]);
    }

    [Fact]
    public void No_default_in_docker_compose_holds_a_brace_Compose_would_end_it_at()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var defaults = Interpolation().Matches(compose).Where(m => m.Groups["default"].Success).Select(m => m.Value).ToList();
        Assert.DoesNotContain(defaults, d => d[2..].Contains('{', StringComparison.Ordinal));
    }

    /// <summary>The environment services.sh gives the Connector: a stand-in <c>dotnet</c> records it instead of starting it.</summary>
    [SupportedOSPlatform("linux")]
    private static async Task<Dictionary<string, string>> ServicesShEnvironment(Dictionary<string, string> variables)
    {
        var root = Directory.CreateTempSubdirectory("growthos-services-sh-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "services", "Connector", "bin", "Release", "net10.0"));
            var bin = Directory.CreateDirectory(Path.Combine(root.FullName, "fake-bin"));
            var capture = Path.Combine(root.FullName, "connector.env");
            var dotnet = Path.Combine(bin.FullName, "dotnet");
            await File.WriteAllTextAsync(dotnet, "#!/bin/sh\nenv -0 > \"$GROWTHOS_CAPTURE\"\n");
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var info = new ProcessStartInfo("bash", ["-c", "source \"$SCRIPT\"; start_service Connector; wait"]) { RedirectStandardError = true };
            foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GROWTHOS_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
            info.Environment["SCRIPT"] = Path.Combine(RepositoryPaths.Root, "deploy", "local", "services.sh");
            info.Environment["ROOT"] = root.FullName;
            info.Environment["CONFIGURATION"] = "Release";
            info.Environment["GROWTHOS_API_KEY"] = "a-test-key-of-24-characters-or-more";
            info.Environment["GROWTHOS_CAPTURE"] = capture;
            info.Environment["PATH"] = $"{bin.FullName}:{info.Environment["PATH"]}";
            foreach (var (name, value) in variables) info.Environment[name] = value;
            using var process = Process.Start(info)!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0 && File.Exists(capture), $"services.sh did not start the Connector: {errors}");

            return (await File.ReadAllTextAsync(capture)).Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1]);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The environment docker-compose.yml gives a service, interpolated as Compose does: a variable of the shell, else
    /// its line in .env; a braced default ends at its first '}'.
    /// </summary>
    private static Dictionary<string, string> ComposeEnvironment(string service, Dictionary<string, string> shell)
    {
        var dotEnv = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".env"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        string? Variable(string name) => shell.TryGetValue(name, out var value) ? value : dotEnv.GetValueOrDefault(name);

        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var start = Array.FindIndex(lines, line => line == $"  {service}:");
        Assert.True(start >= 0, $"docker-compose.yml has no service {service}");
        var environment = new Dictionary<string, string>();
        for (var i = start + 1; i < lines.Length && (lines[i].StartsWith("    ", StringComparison.Ordinal) || lines[i].Length == 0); i++)
        {
            var entry = EnvironmentEntry().Match(lines[i]);
            if (!entry.Success) continue;
            environment[entry.Groups["name"].Value] = Interpolation().Replace(entry.Groups["value"].Value.Trim(), m =>
                Variable(m.Groups["var"].Value) is { Length: > 0 } value ? value : m.Groups["default"].Value);
        }
        return environment;
    }

    /// <summary>The URL and token of the Connector's first call with these settings (environment variables, <c>__</c> for <c>:</c>).</summary>
    private static async Task<(string Url, string Token)> FirstCall(Dictionary<string, string> environment, string shop, string? connectedToken = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Where(e => e.Key.StartsWith("Shopify__", StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":"), (string?)e.Value)))
            .Build();
        var options = configuration.GetSection(ShopifyOptions.Section).Get<ShopifyOptions>() ?? new ShopifyOptions();
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true),
            string.Join("; ", errors.Select(e => e.ErrorMessage)));

        var standIn = new StandIn();
        var client = new ShopifyGraphQlClient(new HttpClient(standIn), Options.Create(options), new ThrottleGate(TimeProvider.System),
            NullLogger<ShopifyGraphQlClient>.Instance, tokens: connectedToken is null ? null : new Connected(shop, connectedToken));
        await client.RunBulkQuery(shop, "{ orders { edges { node { id } } } }", CancellationToken.None);
        return (standIn.Url!, standIn.Token!);
    }

    /// <summary>The shop's connection, as the registry would give its token.</summary>
    private sealed class Connected(string shop, string token) : IShopifyTokens
    {
        public ValueTask<string?> For(string asked, CancellationToken cancellationToken) => ValueTask.FromResult(asked == shop ? token : null);
    }

    private sealed class StandIn : HttpMessageHandler
    {
        public string? Url { get; private set; }
        public string? Token { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Url = request.RequestUri!.ToString();
            Token = request.Headers.TryGetValues("X-Shopify-Access-Token", out var values) ? values.Single() : null;
            var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bulk_operation_run_query.json"));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    [GeneratedRegex(@"^\s+(?<name>[A-Za-z_][A-Za-z0-9_]*):\s*(?<value>.+)$")]
    private static partial Regex EnvironmentEntry();

    [GeneratedRegex(@"\$\{(?<var>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Interpolation();
}
