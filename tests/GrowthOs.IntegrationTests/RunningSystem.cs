using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The five services and the Sandbox as real processes on free loopback ports, on the real broker, database and
/// object store, isolated in their own database, virtual host and bucket. Logs are kept for failure messages.
/// </summary>
public sealed class RunningSystem : IAsyncLifetime
{
    /// <summary>Shops of the Sandbox, one per test, so tests sharing the running system do not see each other's data.</summary>
    public const string Shop = "e2e-shop.myshopify.com";
    public const string CrashShop = "crash-shop.myshopify.com";
    public const string ReplayShop = "replay-shop.myshopify.com";
    public const string BackfillShop = "backfill-shop.myshopify.com";
    public static readonly string[] Shops = [Shop, CrashShop, ReplayShop, BackfillShop];
    public const string ShopToken = "shpat_integration_token_0123456789";
    public const string ApiKey = "integration-test-key-0123456789abcdef";

    private static readonly string[] ServiceNames = ["Sandbox", "IngestSaga", "Connector", "Transform", "KpiAlert", "ApiGateway"];
    private readonly Dictionary<string, ServiceProcess> _services = new();
    private Dictionary<string, int> _ports = new();
    private TestDatabase? _database;
    private TestVirtualHost? _virtualHost;

    public string Bucket { get; } = LocalInfrastructure.NewBucketName("growthos-it");
    public string DatabaseConnectionString => _database!.ConnectionString;
    public Uri Gateway => _services["ApiGateway"].BaseAddress;

    public HttpClient GatewayClient(string? apiKey = ApiKey)
    {
        var http = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_it");
        _virtualHost = await LocalInfrastructure.CreateVirtualHost("growthos-it");
        _ports = ServiceNames.ToDictionary(name => name, _ => FreePort());
        foreach (var name in ServiceNames)
            _services[name] = ServiceProcess.Start(name, _ports[name], Environment(_ports));
        foreach (var service in _services.Values)
            await service.WaitUntilReady(TimeSpan.FromSeconds(90));
    }

    private Dictionary<string, string> Environment(IReadOnlyDictionary<string, int> ports)
    {
        var environment = CommonEnvironment(ports);
        for (var i = 0; i < Shops.Length; i++)
        {
            environment[$"Sandbox__Shops__{i}__Domain"] = Shops[i];
            environment[$"Sandbox__Shops__{i}__AccessToken"] = ShopToken;
            environment[$"Sandbox__Shops__{i}__Seed"] = (42 + i).ToString();
            environment[$"Sandbox__Shops__{i}__Days"] = "180";
            environment[$"Sandbox__Shops__{i}__OrdersPerDay"] = "20";
            environment[$"Sandbox__Shops__{i}__CurrencyCode"] = "USD";
            environment[$"Shopify__Shops__{i}__Domain"] = Shops[i];
            environment[$"Shopify__Shops__{i}__AccessToken"] = ShopToken;
            environment[$"BulkSync__Shops__{i}"] = Shops[i];
        }
        return environment;
    }

    private Dictionary<string, string> CommonEnvironment(IReadOnlyDictionary<string, int> ports) => new()
    {
        ["ConnectionStrings__Postgres"] = _database!.ConnectionString,
        ["RabbitMq__Port"] = LocalInfrastructure.AmqpPort.ToString(),
        ["RabbitMq__VirtualHost"] = _virtualHost!.Name,
        ["S3__ServiceUrl"] = LocalInfrastructure.S3ServiceUrl,
        ["S3__Bucket"] = Bucket,
        ["Sandbox__BulkOperationDurationMilliseconds"] = "1500",
        ["Shopify__BaseUrlTemplate"] = $"http://127.0.0.1:{ports["Sandbox"]}/{{shop}}",
        ["BulkSync__PollIntervalSeconds"] = "1",
        ["Schedules__Enabled"] = "false",
        ["DurableWaits__ScanIntervalMilliseconds"] = "200",
        ["ApiKeys__Keys__0"] = ApiKey,
        ["ReverseProxy__Clusters__ingest__Destinations__ingest-saga__Address"] = $"http://127.0.0.1:{ports["IngestSaga"]}/",
        ["ReverseProxy__Clusters__transform__Destinations__transform__Address"] = $"http://127.0.0.1:{ports["Transform"]}/",
        ["ReverseProxy__Clusters__kpi__Destinations__kpi-alert__Address"] = $"http://127.0.0.1:{ports["KpiAlert"]}/",
    };

    public string Logs(string service) => _services[service].Output;

    /// <summary>Kills the service at once (SIGKILL, nothing flushed or acknowledged), then starts it again and waits until it is ready.</summary>
    public async Task KillAndRestart(string service)
    {
        _services[service].Dispose();
        _services[service] = ServiceProcess.Start(service, _ports[service], Environment(_ports));
        await _services[service].WaitUntilReady(TimeSpan.FromSeconds(90));
    }

    /// <summary>The environment a service of this system starts with, for tests that start one on their own.</summary>
    public Dictionary<string, string> EnvironmentFor() => Environment(_ports);

    public string AllLogs() => string.Join("\n", _services.Select(s => $"===== {s.Key} =====\n{Tail(s.Value.Output, 4000)}"));

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values) service.Dispose();
        if (_virtualHost is not null) await _virtualHost.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One service run from its build output with <c>dotnet GrowthOs.X.dll</c>.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static ServiceProcess Start(string name, int port, IReadOnlyDictionary<string, string> environment)
    {
        var assembly = RepositoryPaths.ServiceAssembly(name);
        if (!File.Exists(assembly)) throw new InvalidOperationException($"{assembly} is missing: build the solution first.");
        var info = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async Task WaitUntilReady(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself and returns what it wrote; fails if it keeps running.</summary>
    public async Task<string> WaitForExit(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} was expected to stop by itself but still runs after {timeout.TotalSeconds} s:\n{Output}");
        }
        _process.WaitForExit();
        return Output;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
