using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GrowthOs.Testing;
using Npgsql;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The five services and the Sandbox as real processes on free loopback ports, on the real broker, database and
/// object store, isolated in their own database, virtual host and bucket. The Ingest-Saga runs two instances at once,
/// as a scaled deployment would. Logs are kept for failure messages.
/// </summary>
public class RunningSystem : IAsyncLifetime
{
    /// <summary>Shops of the Sandbox, one per test, so tests sharing the running system do not see each other's data.</summary>
    public const string Shop = "e2e-shop.myshopify.com";
    public const string ReplayShop = "replay-shop.myshopify.com";
    public const string BackfillShop = "backfill-shop.myshopify.com";
    public const string ReadApiShop = "read-api-shop.myshopify.com";
    public const string BesideShop = "beside-shop.myshopify.com";
    public const string TraceShop = "trace-shop.myshopify.com";
    public const string ProgressShop = "progress-shop.myshopify.com";
    public const string IdempotencyShop = "idempotency-shop.myshopify.com";
    public const string UploadShop = "upload-shop.myshopify.com";
    public const string SecretScanShop = "secret-scan-shop.myshopify.com";
    public const string OutboxShop = "outbox-shop.myshopify.com";
    public const string HostileShop = "hostile-shop.myshopify.com";
    /// <summary>The shop the dashboard's browser tests read (Shopify and the three marketing sources).</summary>
    public const string DashboardShop = "dashboard-shop.myshopify.com";
    public const string DashboardTimeZone = "America/New_York";
    /// <summary>A shop whose watermark a test moves behind the floor, as if it had gone unsynced for months.</summary>
    public const string GapShop = "gap-shop.myshopify.com";
    /// <summary>A shop whose runs a key limited to another shop tries to read by id.</summary>
    public const string LimitedReadShop = "limited-read-shop.myshopify.com";

    /// <summary>Twins: the same seed and size, so an undisturbed sync of the first is the yardstick of a disturbed sync of another.</summary>
    public const string ReferenceShop = "twin-reference.myshopify.com";
    public static string TwinShop(string disturbance) => $"twin-{disturbance.ToLowerInvariant()}.myshopify.com";
    public static readonly string[] Disturbances =
        ["Connector", "Transform", "IngestSaga", "KpiAlert", "ApiGateway", "Sandbox", "Postgres", "StoreArchive", "StoreLoad"];

    /// <summary>
    /// Smaller twins, for the broker's systems of their own (<see cref="BrokerFaultTests"/>), whose yardstick is made
    /// again on each: 60 orders a day instead of 150.
    /// </summary>
    public const string SmallReferenceShop = "twin-small-reference.myshopify.com";
    public static readonly string[] BrokerDisturbances = ["Broker", "ClusterNode"];

    /// <summary>The shop whose undisturbed sync is the yardstick of this system's disturbed ones (<see cref="TwinRuns"/>).</summary>
    public virtual string TwinReference => ReferenceShop;

    /// <summary>Shops the Sandbox answers for with one of its failures (see SandboxShop.Failures).</summary>
    public static string FailingShop(string failure) => $"fails-{failure.Split(':')[0].ToLowerInvariant().Replace('_', '-')}.myshopify.com";
    public static readonly string[] Failures = ["OPERATION_IN_PROGRESS:2", "THROTTLED:3", "HTTP_503:2", "ACCESS_DENIED", "FAILED_PARTIAL", "EXPIRED"];

    /// <summary>A shop synced for every entity, and one whose token lacks the customers scope only.</summary>
    public const string CatalogShop = "catalog-shop.myshopify.com";
    public const string NoCustomersScopeShop = "no-customers-scope.myshopify.com";

    /// <summary>A shop whose runs are moved on by Shopify's finish webhook.</summary>
    public const string WebhookShop = "webhook-shop.myshopify.com";

    /// <summary>A shop whose token the Connector has wrong.</summary>
    public const string WrongTokenShop = "wrong-token.myshopify.com";
    public const string WrongToken = "shpat_wrong_token_that_must_never_be_logged";

    /// <summary>Shops that sync Meta, Google Ads and GA4 beside Shopify: one for the marketing tests, and twins for the crash tests.</summary>
    public const string MarketingShop = "marketing-shop.myshopify.com";
    public const string KlaviyoKey = "pk_integrationKlaviyoKey0123456789";
    public const string DashboardKlaviyoKey = "pk_integrationDashboardKlaviyoKey0123";
    public const string MarketingReplayShop = "marketing-replay.myshopify.com";
    public const string KpiShop = "kpi-shop.myshopify.com";

    /// <summary>The Meta ad account the Sandbox and the Connector give a marketing shop.</summary>
    public static string MetaAccountOf(string shop) => $"70000000{Array.IndexOf(MarketingShops, shop):00}";
    public const string MarketingReferenceShop = "marketing-twin-reference.myshopify.com";
    public static string MarketingTwinShop(string disturbance) => $"marketing-twin-{disturbance.ToLowerInvariant()}.myshopify.com";
    public static readonly string[] MarketingDisturbances = ["Connector", "IngestSaga"];
    public static readonly string[] MarketingShops =
        [MarketingShop, MarketingReplayShop, MarketingReferenceShop, .. MarketingDisturbances.Select(MarketingTwinShop), KpiShop, DashboardShop];
    public const string MetaToken = "EAAGintegrationMetaTokenThatMustNeverBeLogged";
    public const string GoogleToken = "ya29.integrationGoogleTokenThatMustNeverBeLogged";
    public const string GoogleRefreshToken = "1//integrationRefreshTokenThatMustNeverBeLogged";

    private static readonly (string Domain, int Seed, int OrdersPerDay, string? Failure)[] SandboxShops =
    [
        (Shop, 42, 20, null), (ReplayShop, 43, 20, null), (BackfillShop, 44, 20, null), (ReferenceShop, 7, 150, null), (WrongTokenShop, 45, 5, null),
        (ReadApiShop, 47, 10, null), (BesideShop, 48, 20, null), (TraceShop, 50, 5, null), (ProgressShop, 51, 5, null), (IdempotencyShop, 56, 3, null),
        (UploadShop, 57, 3, null), (SecretScanShop, 58, 3, null), (OutboxShop, 59, 3, null), (HostileShop, 60, 3, null), (DashboardShop, 61, 8, null),
        (LimitedReadShop, 62, 3, null), (GapShop, 63, 3, null),
        .. Disturbances.Select(d => (TwinShop(d), 7, 150, (string?)null)),
        .. BrokerDisturbances.Select(TwinShop).Prepend(SmallReferenceShop).Select(d => (d, 7, 60, (string?)null)),
        .. Failures.Select(f => (FailingShop(f), 46, 5, (string?)f)),
        (CatalogShop, 42, 10, null), (NoCustomersScopeShop, 49, 5, "ACCESS_DENIED:customers"), (WebhookShop, 52, 5, null),
        (MarketingShop, 53, 10, null), (MarketingReplayShop, 55, 5, null), (KpiShop, 42, 10, null),
        .. new[] { MarketingReferenceShop }.Concat(MarketingDisturbances.Select(MarketingTwinShop)).Select(d => (d, 54, 10, (string?)null)),
    ];
    public const string ShopToken = "shpat_integration_token_0123456789";

    /// <summary>
    /// Shops of the Sandbox that no setting names: a test connects each through the API (ConnectionTests), with its own
    /// token, and the shop's own currency, time zone and plan come from its check.
    /// </summary>
    public const string ConnectedShop = "connected-shop.myshopify.com";
    public const string ConnectedTimeZone = "Asia/Tokyo";
    public const string ConnectRefusalsShop = "connect-refusals.myshopify.com";
    public const string ConnectLifecycleShop = "connect-lifecycle.myshopify.com";
    public const string ConnectLimitedShop = "connect-limited.myshopify.com";
    public const string ConnectedShopToken = "shpat_connected_token_that_must_never_be_logged";
    public const string InstalledShop = "installed-shop.myshopify.com";
    public const string UninstallShop = "uninstall-shop.myshopify.com";
    /// <summary>Shops the Connections page connects in the browser: one with a token, one through the install flow.</summary>
    public const string PageTokenShop = "page-token-shop.myshopify.com";
    public const string PageInstallShop = "page-install-shop.myshopify.com";
    public const string PageViewerShop = "page-viewer-shop.myshopify.com";
    /// <summary>A shop whose Shopify answers its first two requests with 503: its connection waits pending and is checked again.</summary>
    public const string PendingShop = "connect-pending.myshopify.com";
    /// <summary>A shop whose credentials are sealed again under a rotated key.</summary>
    public const string RotationShop = "connect-rotation.myshopify.com";
    /// <summary>A shop synced, then deleted with purge: nothing of it is left in any schema or under any prefix.</summary>
    public const string PurgeShop = "connect-purge.myshopify.com";
    /// <summary>A shop whose Meta ad account is connected through the API, with a token no setting holds.</summary>
    public const string ConnectMetaShop = "connect-meta.myshopify.com";
    public const string ConnectedMetaAccount = "7300000001";
    public const string ConnectedMetaToken = "EAAGconnectedMetaTokenThatMustNeverBeLogged";
    public const string ConnectedKlaviyoAccount = "KlCnct";
    public const string ConnectedKlaviyoKey = "pk_connectedKlaviyoKeyThatMustNeverBeLogged";
    public const string ShortLivedMetaToken = "EAAGshortLivedMetaTokenThatMustNeverBeLogged";
    public const string MetaAppSecret = "integration-meta-app-secret-never-logged";
    /// <summary>A shop whose Google Ads customer (reached through its manager) and GA4 property are connected through Google's consent.</summary>
    public const string ConnectGoogleShop = "connect-google.myshopify.com";
    public const string ConnectedGoogleAdsCustomer = "7400000001";
    public const string ConnectedGoogleAdsManager = "7400000000";
    public const string ConnectedGa4Property = "7500000001";
    /// <summary>A shop whose Meta ad account and Google Ads customer are connected from the Connections page.</summary>
    public const string PageAccountsShop = "page-accounts.myshopify.com";
    public const string PageMetaAccount = "7300000002";
    public const string PageMetaToken = "EAAGpageMetaTokenThatMustNeverBeLogged";
    public const string PageGoogleAdsCustomer = "7400000002";
    /// <summary>A shop and its ad accounts connected by deploy/connect.sh, the script run.sh, compose and the Kubernetes Job run.</summary>
    public const string ScriptShop = "connect-script.myshopify.com";
    public const string ScriptMetaAccount = "7300000003";
    public const string ScriptMetaToken = "EAAGscriptMetaTokenThatMustNeverBeLogged";
    public const string ScriptGoogleAdsCustomer = "7400000003";
    public const string ScriptGa4Property = "7500000003";
    /// <summary>Fifty small shops connected through the API at once, each synced by its own schedule, on its own clocks.</summary>
    public static readonly string[] FleetShops = [.. Enumerable.Range(1, 50).Select(i => $"fleet-{i:00}.myshopify.com")];
    private static readonly string[] FleetZones =
        ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata"];
    /// <summary>A shop whose merchant asks what is held on a customer, then that it be forgotten.</summary>
    public const string CustomerRequestsShop = "customer-requests.myshopify.com";
    public const string ShopifyClientId = "integration-shopify-client-id";
    private static readonly (string Domain, int Seed, string TimeZone, string Currency, string Plan)[] ConnectableShops =
    [
        (ConnectedShop, 64, ConnectedTimeZone, "EUR", "Advanced"), (ConnectRefusalsShop, 65, "UTC", "USD", "Basic"),
        (ConnectLifecycleShop, 66, "Europe/Berlin", "EUR", "Grow"), (ConnectLimitedShop, 67, "UTC", "USD", "Basic"),
        (InstalledShop, 68, "America/Los_Angeles", "CAD", "Plus"), (UninstallShop, 69, "UTC", "USD", "Basic"),
        (PageTokenShop, 70, "Europe/Paris", "EUR", "Grow"), (PageInstallShop, 71, "Australia/Sydney", "AUD", "Advanced"),
        (PageViewerShop, 72, "UTC", "USD", "Basic"), (PendingShop, 73, "UTC", "USD", "Basic"),
        (RotationShop, 74, "UTC", "USD", "Basic"), (PurgeShop, 75, "Europe/Madrid", "EUR", "Grow"),
        (CustomerRequestsShop, 76, "UTC", "USD", "Basic"), (ConnectMetaShop, 77, "Europe/Lisbon", "EUR", "Grow"),
        (ConnectGoogleShop, 78, "America/Chicago", "USD", "Grow"), (PageAccountsShop, 79, "Europe/Vienna", "EUR", "Basic"),
        (ScriptShop, 80, "Europe/Oslo", "NOK", "Grow"),
    ];

    /// <summary>The key the Connector seals connections' credentials with.</summary>
    public static readonly string ConnectionsKey =
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("integration-connections-key"u8.ToArray()));

    /// <summary>The key a rotation test moves to (<see cref="ConnectionsKey"/> is integration-1's).</summary>
    public static readonly string RotatedConnectionsKey =
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("integration-rotated-key"u8.ToArray()));
    /// <summary>The key the gateway signs its calls to the services with.</summary>
    public const string GatewaySecret = "integration-gateway-secret-0123456789abcdef";
    public const string AppSecret = "shpss_integration_app_secret_0123456789";
    public const int WebhookFallbackPollSeconds = 10;
    /// <summary>How long <see cref="WebhookShop"/>'s operations run: the timed polls come after 1 s and 3 s, and the next after 7 s.</summary>
    public const int WebhookShopOperationMilliseconds = 5_000;
    /// <summary>The suite's admin key (id <c>tests</c>).</summary>
    public const string ApiKey = "integration-test-key-0123456789abcdef";
    /// <summary>A viewer key (id <c>tests-viewer</c>).</summary>
    public const string ViewerKey = "integration-viewer-key-0123456789abcdef";
    /// <summary>An operator key limited to <see cref="KpiShop"/> (id <c>tests-kpi-operator</c>).</summary>
    public const string KpiOperatorKey = "integration-kpi-operator-key-0123456789";
    /// <summary>An operator key limited to <see cref="DashboardShop"/> (id <c>tests-dashboard-operator</c>).</summary>
    public const string DashboardOperatorKey = "integration-dashboard-operator-key-0123456789";
    private static readonly (string Id, string Role, string Key, string? Shop)[] Keys =
    [
        ("tests", "admin", ApiKey, null), ("tests-viewer", "viewer", ViewerKey, null), ("tests-kpi-operator", "operator", KpiOperatorKey, KpiShop),
        ("tests-dashboard-operator", "operator", DashboardOperatorKey, DashboardShop),
    ];

    /// <summary>Instances to run: the service's folder name, with -n for a further instance of the same service.</summary>
    private static readonly string[] Instances = ["Sandbox", "IngestSaga", "IngestSaga-2", "Connector", "Transform", "KpiAlert", "ApiGateway"];
    private readonly Dictionary<string, ServiceProcess> _services = new();
    private readonly CancellationTokenSource _supervision = new();
    private Task? _supervisor;
    private Dictionary<string, int> _ports = new();
    private TestDatabase? _database;
    private TestVirtualHost? _virtualHost;
    private TcpOutageProxy? _storeRelay;

    /// <summary>The broker the system runs on: the local one, unless a system of its own starts another (<see cref="StartBroker"/>).</summary>
    public Broker Broker { get; private set; } = LocalInfrastructure.Broker;

    /// <summary>The broker the system is to run on.</summary>
    protected virtual Task<Broker> StartBroker() => Task.FromResult(LocalInfrastructure.Broker);

    /// <summary>Once every service has stopped: what the broker needs to end with.</summary>
    protected virtual Task StopBroker() => Task.CompletedTask;

    /// <summary>The broker goes with the system (a container of its own): its virtual host is not deleted first.</summary>
    protected virtual bool BrokerGoesWithTheSystem => false;

    public string Bucket { get; } = LocalInfrastructure.NewBucketName("growthos-it");

    /// <summary>When the system started: the Sandbox's shops end their data on their yesterday as of then.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public string DatabaseConnectionString => _database!.ConnectionString;
    public Uri Gateway => _services["ApiGateway"].BaseAddress;

    /// <summary>
    /// The database server restarted: the system cluster (its own, so no other test project's database goes down with
    /// it) is shut down fast, every session ending as a shutdown ends it (57P01), stays down for <paramref name="outage"/>
    /// (connections refused), and is started again.
    /// </summary>
    /// <returns>How many sessions of the system's database the shutdown ended.</returns>
    public async Task<int> RestartDatabase(TimeSpan outage)
    {
        long sessions;
        await using (var connection = new NpgsqlConnection(DatabaseConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            sessions = Convert.ToInt64(await count.ExecuteScalarAsync());
        }
        var (code, output) = await Processes.Script("deploy/local/infra.sh", "restart-system-postgres", ((int)outage.TotalSeconds).ToString());
        if (code != 0) throw new InvalidOperationException($"restarting the system cluster failed ({code}): {output}");
        // The tests' own pooled connections died with the server.
        NpgsqlConnection.ClearAllPools();
        return (int)sessions;
    }

    /// <summary>
    /// The object store down for <paramref name="outage"/>, for this system only: every connection to it is reset and
    /// a new one refused, then it answers again with everything it held.
    /// </summary>
    /// <returns>How many of the services' connections were cut.</returns>
    public async Task<int> TakeStoreDown(TimeSpan outage)
    {
        var cutBefore = _storeRelay!.ConnectionsCut;
        await _storeRelay.Outage(outage);
        return _storeRelay.ConnectionsCut - cutBefore;
    }

    /// <summary>Where an instance listens, for the tests that call a service without the gateway.</summary>
    public Uri ServiceAddress(string instance) => _services[instance].BaseAddress;

    /// <summary>Every error body the gateway answered a test with, for the secret scan.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ErrorBodies { get; } = new();

    /// <summary>The output of instances killed and started again (their successors start with none of it).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Instance, string Output)> _retiredOutput = new();

    public HttpClient GatewayClient(string? apiKey = ApiKey)
    {
        var http = new HttpClient(new ErrorBodyRecorder(ErrorBodies)) { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public async Task InitializeAsync()
    {
        await Dashboard.EnsureBuilt();
        _database = await LocalInfrastructure.CreateDatabase("growthos_it", LocalInfrastructure.SystemPostgresPort);
        _storeRelay = TcpOutageProxy.Start(LocalInfrastructure.S3Port);
        Broker = await StartBroker();
        _virtualHost = await Broker.CreateVirtualHost("growthos-it");
        _ports = Instances.ToDictionary(name => name, _ => LocalInfrastructure.FreePort());
        foreach (var instance in Instances) StartInstance(instance);
        foreach (var service in _services.Values)
            await service.WaitUntilReady(TimeSpan.FromSeconds(90));
        _supervisor = Supervise(_supervision.Token);
    }

    /// <summary>
    /// Like the deployment's restart policy: a service that ends by itself (its bus watchdog gave up on a wedged
    /// connection) is started again, its earlier output kept.
    /// </summary>
    private async Task Supervise(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_services)
            {
                foreach (var (instance, process) in _services.ToList())
                {
                    if (!process.EndedByItself) continue;
                    var earlier = process.Output + $"===== {instance} ended by itself (exit code {process.ExitCode}); started again =====\n";
                    process.Dispose();
                    StartInstance(instance);
                    _services[instance].Inherit(earlier);
                }
            }
        }
    }

    private Dictionary<string, string> Environment(IReadOnlyDictionary<string, int> ports)
    {
        var environment = CommonEnvironment(ports);
        // Every shop's data ends on its yesterday as of the system's start, whenever it is first asked for and however often
        // the Sandbox is restarted: twins synced either side of a midnight have the same days.
        environment["Sandbox__AnchorAt"] = StartedAt.ToString("O");
        for (var i = 0; i < SandboxShops.Length; i++)
        {
            var (domain, seed, ordersPerDay, failure) = SandboxShops[i];
            if (failure is not null) environment[$"Sandbox__Shops__{i}__Failures__0"] = failure;
            environment[$"Sandbox__Shops__{i}__Domain"] = domain;
            environment[$"Sandbox__Shops__{i}__AccessToken"] = ShopToken;
            environment[$"Sandbox__Shops__{i}__AppSecret"] = AppSecret;
            environment[$"Sandbox__Shops__{i}__Seed"] = seed.ToString();
            environment[$"Sandbox__Shops__{i}__Days"] = "180";
            environment[$"Sandbox__Shops__{i}__OrdersPerDay"] = ordersPerDay.ToString();
            environment[$"Sandbox__Shops__{i}__CurrencyCode"] = "USD";
            // The shop's own time zone is the one it reports in: its demo days are its reporting days.
            if (domain == DashboardShop) environment[$"Sandbox__Shops__{i}__TimeZone"] = DashboardTimeZone;
            // Long enough that its finish falls between two timed polls, well apart (WebhookTests).
            if (domain == WebhookShop) environment[$"Sandbox__Shops__{i}__BulkOperationDurationMilliseconds"] = WebhookShopOperationMilliseconds.ToString();
            environment[$"Shopify__Shops__{i}__Domain"] = domain;
            environment[$"Shopify__Shops__{i}__AccessToken"] = domain == WrongTokenShop ? WrongToken : ShopToken;
            environment[$"BulkSync__Shops__{i}"] = domain;
        }
        for (var j = 0; j < ConnectableShops.Length; j++)
        {
            var (domain, seed, zone, currency, plan) = ConnectableShops[j];
            var i = SandboxShops.Length + j;
            environment[$"Sandbox__Shops__{i}__Domain"] = domain;
            environment[$"Sandbox__Shops__{i}__AccessToken"] = ConnectedShopToken;
            environment[$"Sandbox__Shops__{i}__AppSecret"] = AppSecret;
            environment[$"Sandbox__Shops__{i}__Seed"] = seed.ToString();
            environment[$"Sandbox__Shops__{i}__Days"] = "180";
            environment[$"Sandbox__Shops__{i}__OrdersPerDay"] = "3";
            environment[$"Sandbox__Shops__{i}__CurrencyCode"] = currency;
            environment[$"Sandbox__Shops__{i}__TimeZone"] = zone;
            environment[$"Sandbox__Shops__{i}__Plan"] = plan;
            if (domain == PendingShop) environment[$"Sandbox__Shops__{i}__Failures__0"] = "HTTP_503:2";
        }
        for (var j = 0; j < FleetShops.Length; j++)
        {
            var i = SandboxShops.Length + ConnectableShops.Length + j;
            environment[$"Sandbox__Shops__{i}__Domain"] = FleetShops[j];
            environment[$"Sandbox__Shops__{i}__AccessToken"] = ConnectedShopToken;
            environment[$"Sandbox__Shops__{i}__AppSecret"] = AppSecret;
            environment[$"Sandbox__Shops__{i}__Seed"] = (300 + j).ToString();
            environment[$"Sandbox__Shops__{i}__Days"] = "14";
            environment[$"Sandbox__Shops__{i}__OrdersPerDay"] = "1";
            environment[$"Sandbox__Shops__{i}__TimeZone"] = FleetZones[j % FleetZones.Length];
        }
        for (var i = 0; i < MarketingShops.Length; i++)
        {
            var shop = MarketingShops[i];
            var (meta, customer, property) = (MetaAccountOf(shop), $"71000000{i:00}", $"72000000{i:00}");
            environment[$"Sandbox__Meta__AdAccounts__{i}__Id"] = environment[$"Meta__Accounts__{i}__AdAccountId"] = meta;
            environment[$"Sandbox__Meta__AdAccounts__{i}__AccessToken"] = environment[$"Meta__Accounts__{i}__AccessToken"] = MetaToken;
            environment[$"Sandbox__Meta__AdAccounts__{i}__Shop"] = environment[$"Meta__Accounts__{i}__Shop"] = shop;
            environment[$"Sandbox__Meta__AdAccounts__{i}__TimeZone"] = "UTC";
            environment[$"Sandbox__GoogleAds__Customers__{i}__Id"] = environment[$"GoogleAds__Customers__{i}__CustomerId"] = customer;
            // Google's accounts are reached with refresh tokens, renewed at the Sandbox's OAuth token endpoint.
            environment[$"Sandbox__GoogleAds__Customers__{i}__AccessToken"] = GoogleToken;
            environment[$"Sandbox__GoogleAds__Customers__{i}__RefreshToken"] = environment[$"GoogleAds__Customers__{i}__RefreshToken"] =
                $"{GoogleRefreshToken}-ads-{i}";
            environment[$"Sandbox__GoogleAds__Customers__{i}__Shop"] = environment[$"GoogleAds__Customers__{i}__Shop"] = shop;
            environment[$"Sandbox__GoogleAds__Customers__{i}__TimeZone"] = "UTC";
            environment[$"Sandbox__Ga4__Properties__{i}__Id"] = environment[$"Ga4__Properties__{i}__PropertyId"] = property;
            environment[$"Sandbox__Ga4__Properties__{i}__AccessToken"] = GoogleToken;
            environment[$"Sandbox__Ga4__Properties__{i}__RefreshToken"] = environment[$"Ga4__Properties__{i}__RefreshToken"] = $"{GoogleRefreshToken}-ga4-{i}";
            environment[$"Sandbox__Ga4__Properties__{i}__Shop"] = environment[$"Ga4__Properties__{i}__Shop"] = shop;
            environment[$"Sandbox__Ga4__Properties__{i}__TimeZone"] = "UTC";
            environment[$"MarketingSync__Shops__{i}__Shop"] = shop;
            // Every marketing shop syncs the three ad and traffic sources; the marketing and dashboard shops have e-mail (Klaviyo) too.
            var sources = shop is MarketingShop or DashboardShop ? new[] { "meta", "google_ads", "ga4", "klaviyo" } : ["meta", "google_ads", "ga4"];
            for (var s = 0; s < sources.Length; s++) environment[$"MarketingSync__Shops__{i}__Sources__{s}"] = sources[s];
        }
        environment["Sandbox__Klaviyo__Accounts__0__Id"] = "WkInTg";
        environment["Sandbox__Klaviyo__Accounts__0__PrivateKey"] = environment["Klaviyo__Accounts__0__PrivateKey"] = KlaviyoKey;
        environment["Sandbox__Klaviyo__Accounts__0__Shop"] = environment["Klaviyo__Accounts__0__Shop"] = MarketingShop;
        environment["Sandbox__Klaviyo__Accounts__0__TimeZone"] = "UTC";
        environment["Sandbox__Klaviyo__Accounts__2__Id"] = "WkDash";
        environment["Sandbox__Klaviyo__Accounts__2__PrivateKey"] = environment["Klaviyo__Accounts__1__PrivateKey"] = DashboardKlaviyoKey;
        environment["Sandbox__Klaviyo__Accounts__2__Shop"] = environment["Klaviyo__Accounts__1__Shop"] = DashboardShop;
        environment["Sandbox__Klaviyo__Accounts__2__TimeZone"] = "UTC";
        // A Klaviyo account only the Sandbox knows: connected to its shop through the API with its private key.
        environment["Sandbox__Klaviyo__Accounts__1__Id"] = ConnectedKlaviyoAccount;
        environment["Sandbox__Klaviyo__Accounts__1__PrivateKey"] = ConnectedKlaviyoKey;
        environment["Sandbox__Klaviyo__Accounts__1__Shop"] = ConnectMetaShop;
        environment["Sandbox__Klaviyo__Accounts__1__TimeZone"] = "Europe/Lisbon";
        // The Reporting API's steady limit raised for the tests' pace; its burst of a call a second stays.
        environment["Sandbox__Klaviyo__ReportsPerMinute"] = "600";
        // A Meta ad account that only the Sandbox knows: it is connected to its shop through the API, never named in a setting.
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length}__Id"] = ConnectedMetaAccount;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length}__AccessToken"] = ConnectedMetaToken;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length}__Shop"] = ConnectMetaShop;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length}__TimeZone"] = "Europe/Lisbon";
        // Its person's short-lived token, which the Connector exchanges for the long-lived one as the Meta app.
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length}__ShortLivedToken"] = ShortLivedMetaToken;
        // A Google Ads customer and a GA4 property only the Sandbox knows, reached by nothing but a grant of its person's consent.
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length}__Id"] = ConnectedGoogleAdsCustomer;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length}__ManagerId"] = ConnectedGoogleAdsManager;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length}__Shop"] = ConnectGoogleShop;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length}__TimeZone"] = "America/Chicago";
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length}__Id"] = ConnectedGa4Property;
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length}__Shop"] = ConnectGoogleShop;
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length}__TimeZone"] = "America/Chicago";
        // Its reports' metadata say no currency: the property's comes from its connection's check.
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length}__Failures__0"] = "NO_CURRENCY";
        // The Connections page's shop: its Meta ad account and Google Ads customer, known only to the Sandbox.
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 1}__Id"] = PageMetaAccount;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 1}__AccessToken"] = PageMetaToken;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 1}__Shop"] = PageAccountsShop;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 1}__TimeZone"] = "Europe/Vienna";
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length + 1}__Id"] = PageGoogleAdsCustomer;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length + 1}__Shop"] = PageAccountsShop;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length + 1}__TimeZone"] = "Europe/Vienna";
        // The script's shop: its Meta ad account, Google Ads customer and GA4 property, known only to the Sandbox.
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 2}__Id"] = ScriptMetaAccount;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 2}__AccessToken"] = ScriptMetaToken;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 2}__Shop"] = ScriptShop;
        environment[$"Sandbox__Meta__AdAccounts__{MarketingShops.Length + 2}__TimeZone"] = "Europe/Oslo";
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length + 2}__Id"] = ScriptGoogleAdsCustomer;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length + 2}__Shop"] = ScriptShop;
        environment[$"Sandbox__GoogleAds__Customers__{MarketingShops.Length + 2}__TimeZone"] = "Europe/Oslo";
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length + 1}__Id"] = ScriptGa4Property;
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length + 1}__Shop"] = ScriptShop;
        environment[$"Sandbox__Ga4__Properties__{MarketingShops.Length + 1}__TimeZone"] = "Europe/Oslo";
        environment["Sandbox__Meta__AppId"] = environment["Meta__AppId"] = "4815162342108";
        environment["Sandbox__Meta__AppSecret"] = environment["Meta__AppSecret"] = MetaAppSecret;
        // The gateway holds its keys only as salted hashes.
        for (var i = 0; i < Keys.Length; i++)
        {
            var salt = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            environment[$"ApiKeys__Keys__{i}__Id"] = Keys[i].Id;
            environment[$"ApiKeys__Keys__{i}__Role"] = Keys[i].Role;
            environment[$"ApiKeys__Keys__{i}__Salt"] = salt;
            environment[$"ApiKeys__Keys__{i}__Sha256"] =
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(salt + Keys[i].Key)));
            if (Keys[i].Shop is { } shop) environment[$"ApiKeys__Keys__{i}__Shops__0"] = shop;
        }
        return environment;
    }

    private Dictionary<string, string> CommonEnvironment(IReadOnlyDictionary<string, int> ports) => new(LocalInfrastructure.ServiceCredentials
        .Where(setting => !setting.Key.StartsWith("RabbitMq__", StringComparison.Ordinal)).Concat(Broker.ServiceSettings(_virtualHost!.Name)))
    {
        ["Gateway__Secret"] = GatewaySecret,
        ["Dashboard__Directory"] = Dashboard.BuiltDirectory,
        // The services reach the store through a relay of this system's own, which an outage cuts, and the database on the
        // system cluster, which an outage test restarts.
        ["ConnectionStrings__Postgres"] = _database!.ConnectionString,
        ["RabbitMq__UnhealthyExitSeconds"] = "40",
        ["S3__ServiceUrl"] = $"http://127.0.0.1:{_storeRelay!.Port}",
        ["S3__Bucket"] = Bucket,
        // The dashboard's shop reports in New York's days and times (the browser tests run in UTC).
        [$"ReportingTimeZones__{DashboardShop}"] = DashboardTimeZone,
        ["Sandbox__BulkOperationDurationMilliseconds"] = "1500",
        // The Sandbox keeps its operations where a restart finds them (CrashSafetyTests kill it mid-run).
        ["Sandbox__StateDirectory"] = SandboxState,
        ["Shopify__BaseUrlTemplate"] = $"http://127.0.0.1:{ports["Sandbox"]}/{{shop}}",
        ["Shopify__DownloadHosts__0"] = $"127.0.0.1:{ports["Sandbox"]}",
        ["Shopify__AllowHttpDownloads"] = "true",
        ["BulkSync__PollIntervalSeconds"] = "1",
        ["BulkSync__CommandResendSeconds"] = "30",
        ["MarketingSync__CommandResendSeconds"] = "30",
        // Each test shop's first sync stays a sync of its own: a history backfill after it would change what the
        // tests compare (HistoryTests hold the history to its rules).
        ["BulkSync__LoadHistory"] = "false",
        // Most tests are about orders; the tests of the other entities ask for them by name.
        ["BulkSync__DefaultEntities__0"] = "orders",
        ["Schedules__Enabled"] = "false",
        ["DurableWaits__ScanIntervalMilliseconds"] = "200",
        // The suite starts more runs a minute than a person would; the limits themselves are the gateway tests'.
        ["Limits__WritesPerMinute"] = "100000",
        ["Limits__ReadsPerMinute"] = "100000",
        ["Limits__AnonymousPerMinute"] = "100000",
        ["Limits__ShopRunsPerHour"] = "100000",
        ["ReverseProxy__Clusters__ingest__Destinations__ingest-saga__Address"] = $"http://127.0.0.1:{ports["IngestSaga"]}/",
        ["ReverseProxy__Clusters__ingest__Destinations__ingest-saga-2__Address"] = $"http://127.0.0.1:{ports["IngestSaga-2"]}/",
        ["Upsert__ChunkSize"] = "1000",
        ["BulkSync__BusyWaitSeconds"] = "1",
        ["BulkSync__RetryBaseSeconds"] = "1",
        ["BulkSync__RetryMaxSeconds"] = "2",
        ["ReverseProxy__Clusters__transform__Destinations__transform__Address"] = $"http://127.0.0.1:{ports["Transform"]}/",
        ["Transform__BaseUrl"] = $"http://127.0.0.1:{ports["Transform"]}/",
        // Shopify's finish webhooks, signed by the Sandbox and checked by the gateway, move runs on; polling after the
        // first is only the fallback (WebhookTests).
        ["Shopify__WebhookCallbackUrl"] = $"http://127.0.0.1:{ports["ApiGateway"]}/webhooks/shopify",
        ["ShopifyWebhooks__Secret"] = AppSecret,
        ["Sandbox__AllowHttpWebhooks"] = "true",
        ["BulkSync__CompletionWebhooks"] = "true",
        ["BulkSync__WebhookFallbackPollSeconds"] = WebhookFallbackPollSeconds.ToString(),
        ["ReverseProxy__Clusters__kpi__Destinations__kpi-alert__Address"] = $"http://127.0.0.1:{ports["KpiAlert"]}/",
        ["ReverseProxy__Clusters__connector__Destinations__connector__Address"] = $"http://127.0.0.1:{ports["Connector"]}/",
        ["Connections__EncryptionKeys__0__Id"] = "integration-1",
        ["Connections__RecheckSeconds"] = "2",
        ["Connections__PurgeSweepAgainSeconds"] = "3",
        // Shopify's install flow: the app's client credentials, the Sandbox's consent page sending the merchant back to the gateway.
        ["Shopify__ClientId"] = ShopifyClientId,
        ["Shopify__ClientSecret"] = AppSecret,
        ["Shopify__InstallRedirectUri"] = $"http://127.0.0.1:{ports["ApiGateway"]}/api/connections/shopify/callback",
        ["Sandbox__ShopifyApp__ClientId"] = ShopifyClientId,
        ["Sandbox__ShopifyApp__RedirectUris__0"] = $"http://127.0.0.1:{ports["ApiGateway"]}/api/connections/shopify/callback",
        // Shopify's mandatory compliance webhooks go where the app declares them: the gateway, which checks their signature.
        ["Sandbox__ShopifyApp__ComplianceUri"] = $"http://127.0.0.1:{ports["ApiGateway"]}/webhooks/shopify",
        ["Connections__EncryptionKeys__0__Key"] = ConnectionsKey,
        ["Meta__BaseUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/meta",
        ["GoogleAds__BaseUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/google-ads",
        ["Ga4__BaseUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/ga4",
        ["Klaviyo__BaseUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/klaviyo",
        ["GoogleOAuth__TokenUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/google-oauth/token",
        // Google's consent flow: the Sandbox's consent page sends the person back to the gateway.
        ["GoogleOAuth__AuthorizeUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/google-oauth/o/oauth2/v2/auth",
        ["GoogleOAuth__RedirectUri"] = $"http://127.0.0.1:{ports["ApiGateway"]}/api/connections/google/callback",
        ["Sandbox__GoogleOAuth__RedirectUris__0"] = $"http://127.0.0.1:{ports["ApiGateway"]}/api/connections/google/callback",
        ["Ga4__AdminBaseUrl"] = $"http://127.0.0.1:{ports["Sandbox"]}/ga4-admin",
        ["GoogleOAuth__ClientId"] = "integration-client.apps.googleusercontent.com",
        ["Sandbox__GoogleOAuth__ClientId"] = "integration-client.apps.googleusercontent.com",
        ["GoogleOAuth__ClientSecret"] = "GOCSPX-integration-secret",
        ["Sandbox__GoogleOAuth__ClientSecret"] = "GOCSPX-integration-secret",
        // A 180-day first sync of Meta goes through its asynchronous report: long enough to be caught mid-fetch.
        ["Sandbox__Meta__ReportDurationMilliseconds"] = "4000",
        ["Meta__ReportPollSeconds"] = "1",
        ["MarketingSync__RetryBaseSeconds"] = "1",
        ["MarketingSync__RetryMaxSeconds"] = "2",
        ["MarketingSync__FetchTimeoutSeconds"] = "60",
    };

    public string Logs(string service) => _services[service].Output;

    /// <summary>Starts a sync of <paramref name="shop"/> through the gateway and returns its run id.</summary>
    public async Task<Guid> StartSync(HttpClient http, string shop, IReadOnlyList<string>? entities = null)
    {
        var accepted = await http.PostAsJsonAsync("/api/performance-metrics/sync", new { initiator = "user", shop, entities });
        if (accepted.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Sync of {shop} refused: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
        return (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid();
    }

    /// <summary>The steps of both kinds of run in their order: a Shopify run polls and downloads, a marketing run fetches and archives.</summary>
    private static readonly string[] StepOrder = ["requested", "polling", "downloading", "fetching", "archiving", "upserting", "transforming"];

    /// <summary>Waits until the run is at <paramref name="status"/> or a later step (it may pass a short step between two looks).</summary>
    public async Task WaitForStatus(HttpClient http, Guid runId, string status)
    {
        var target = Array.IndexOf(StepOrder, status);
        if (target < 0) throw new ArgumentException($"{status} is not a step a run passes through.", nameof(status));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync($"/api/ingest/runs/{runId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var current = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
                if (Array.IndexOf(StepOrder, current) >= target) return;
                if (current is "completed" or "partial" or "failed")
                    throw new InvalidOperationException($"Run {runId} ended {current} before reaching {status}.\n{AllLogs()}");
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Run {runId} never reached {status}.\n{AllLogs()}");
    }

    public async Task<JsonElement> WaitForRunToFinish(HttpClient http, Guid runId, int seconds = 180)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync($"/api/ingest/runs/{runId}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    run = await response.Content.ReadFromJsonAsync<JsonElement>();
                    if (run.GetProperty("status").GetString() is "completed" or "partial" or "failed") return run;
                }
            }
            catch (HttpRequestException)
            {
                // the gateway or an Ingest-Saga instance is restarting
            }
            await Task.Delay(250);
        }
        var logs = Path.Combine(Path.GetTempPath(), $"growthos-run-{runId}.log");
        await File.WriteAllTextAsync(logs, AllLogs(int.MaxValue));
        throw new TimeoutException(
            $"Run {runId} did not finish within {seconds} s (every log whole: {logs}); last seen: {run}\n{await Diagnostics()}\n{AllLogs()}");
    }

    /// <summary>What a stuck run may be waiting on: the database's busy sessions and the broker's queues holding messages.</summary>
    public async Task<string> Diagnostics()
    {
        var report = new System.Text.StringBuilder();
        try
        {
            await using var connection = new NpgsqlConnection(DatabaseConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT concat_ws(' | ', pid, application_name, state, wait_event_type, wait_event, now() - xact_start,
                    left(regexp_replace(query, '\s+', ' ', 'g'), 160))
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            report.AppendLine("===== database sessions not idle =====");
            while (await reader.ReadAsync()) report.AppendLine(reader.GetString(0));
        }
        catch (Exception exception)
        {
            report.AppendLine($"database sessions unavailable: {exception.Message}");
        }
        try
        {
            using var http = Broker.Management();
            var queues = await http.GetFromJsonAsync<JsonElement>(
                $"/api/queues/{Uri.EscapeDataString(_virtualHost!.Name)}?columns=name,messages,messages_unacknowledged,consumers");
            report.AppendLine("===== queues =====");
            foreach (var queue in queues.EnumerateArray())
                report.AppendLine($"{queue.GetProperty("name")}: {queue.GetProperty("messages")} messages, "
                    + $"{queue.GetProperty("messages_unacknowledged")} unacknowledged, {queue.GetProperty("consumers")} consumers");
        }
        catch (Exception exception)
        {
            report.AppendLine($"queues unavailable: {exception.Message}");
        }
        return report.ToString();
    }

    public async Task<long> Scalar(string sql) => Convert.ToInt64(await Query<object>(sql));

    /// <summary>
    /// Waits for something written after the state a test waited for (a consumer of the run's events writes it in its own
    /// time): reads <paramref name="sql"/> until it answers <paramref name="expected"/>, or fails naming what did not come.
    /// </summary>
    public async Task WaitForScalar(string sql, long expected, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        long last;
        while ((last = await Scalar(sql)) != expected)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} did not come within {seconds} s: {sql} answered {last}, not {expected}.\n{AllLogs()}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Waits until the service's log holds <paramref name="text"/>: a line is written from a background queue and read
    /// from the process's output, a moment after the request it tells of was answered.
    /// </summary>
    public async Task WaitForLog(string service, string text, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Logs(service).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{service} logged no line with {text} within {seconds} s.\n{Logs(service)}");
            await Task.Delay(100);
        }
    }

    /// <summary>A count of the service's log lines once it holds still for a second (a late line of earlier work may still come).</summary>
    public async Task<int> SettledLogCount(string service, Func<string, bool> line, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var count = Logs(service).Split('\n').Count(line);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var again = Logs(service).Split('\n').Count(line);
            if (again == count) return count;
            count = again;
        }
        throw new TimeoutException($"{service}'s count of log lines did not settle within {seconds} s.");
    }

    /// <summary>
    /// The run's telemetry JSONL in the object store once it holds the run's last step (<paramref name="lastStep"/>): the
    /// archiver writes it as the run's events reach it, after the run's state is saved.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForTelemetry(Guid runId, DateTimeOffset firstEvent, string lastStep, int seconds = 60)
    {
        var key = $"telemetry/sync.telemetry/{firstEvent.UtcDateTime:yyyy/MM/dd}/{runId:N}.jsonl";
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var lines = new List<JsonElement>();
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                lines = (await LocalInfrastructure.ReadObject(Bucket, key)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
                if (lines.Any(l => l.GetProperty("step").GetString() == lastStep)) return lines;
            }
            catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // not written yet
            }
            catch (Exception e) when (e is Amazon.Runtime.AmazonClientException { Message: var message }
                                      && message.Contains("hash", StringComparison.OrdinalIgnoreCase)
                                      || e is JsonException)
            {
                // Read while the archiver rewrote it (the local store does not swap an object whole): read it again.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The telemetry of run {runId} ({key}) did not reach its {lastStep} step within {seconds} s; it holds " +
            $"{string.Join(", ", lines.Select(l => $"{l.GetProperty("step")}/{l.GetProperty("status")}"))}.");
    }

    /// <summary>
    /// Every row of every table of every schema of the system's database whose text (all its columns, arrays and JSON
    /// among them) holds <paramref name="text"/>, as <c>schema.table: rows</c>. The gateway's keys are left out: a key's
    /// shops say what it may reach and stay when a shop goes.
    /// </summary>
    public async Task<IReadOnlyList<string>> RowsHolding(string text)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var select = new NpgsqlCommand("""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                AND (table_schema, table_name) <> ('gateway', 'api_key')
            """, connection))
        await using (var reader = await select.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE strpos(t::text, @text) > 0", connection);
            count.Parameters.AddWithValue("text", text);
            if (Convert.ToInt64(await count.ExecuteScalarAsync()) is var rows and > 0) found.Add($"{table}: {rows}");
        }
        return found;
    }

    /// <summary>The keys of every object in the system's bucket that hold <paramref name="text"/>.</summary>
    public async Task<IReadOnlyList<string>> ObjectKeysHolding(string text)
    {
        using var s3 = LocalInfrastructure.S3Client();
        var keys = new List<string>();
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = Bucket };
        Amazon.S3.Model.ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key).Where(key => key.Contains(text, StringComparison.Ordinal)));
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return keys;
    }

    public async Task<T> Query<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Kills every instance of the service at once (SIGKILL: nothing flushed, nothing acknowledged), then starts them
    /// again and waits until they are ready.
    /// </summary>
    public async Task KillAndRestart(string service, IReadOnlyDictionary<string, string>? settings = null)
    {
        var instances = Instances.Where(i => i == service || i.StartsWith(service + "-", StringComparison.Ordinal)).ToList();
        lock (_services)
        {
            foreach (var instance in instances)
            {
                _retiredOutput.Enqueue((instance, _services[instance].Output));
                _services[instance].Dispose();
            }
            foreach (var instance in instances) StartInstance(instance, settings);
        }
        foreach (var instance in instances) await _services[instance].WaitUntilReady(TimeSpan.FromSeconds(90));
    }

    private void StartInstance(string instance, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = Environment(_ports);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        _services[instance] = ServiceProcess.Start(instance.Split('-')[0], _ports[instance], environment, instance);
    }

    /// <summary>The broker's virtual host this system runs in.</summary>
    public string VirtualHost => _virtualHost!.Name;

    /// <summary>The environment a service of this system starts with, for tests that start one on their own.</summary>
    public Dictionary<string, string> EnvironmentFor() => Environment(_ports);

    public string AllLogs(int charactersEach = 4000) =>
        string.Join("\n", _services.Select(s => $"===== {s.Key} =====\n{Tail(s.Value.Output, charactersEach)}"));

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];

    private string SandboxState => Path.Combine(Path.GetTempPath(), $"growthos-sandbox-{_virtualHost!.Name}");

    /// <summary>The secrets this system is given: none may appear in what it writes or answers.</summary>
    public static readonly IReadOnlyList<string> Secrets =
        [ShopToken, WrongToken, AppSecret, MetaToken, GoogleToken, GoogleRefreshToken, "GOCSPX-integration-secret", ApiKey, ViewerKey, KpiOperatorKey,
            DashboardOperatorKey, GatewaySecret, ConnectedShopToken, ConnectionsKey, RotatedConnectionsKey, ConnectedMetaToken, ShortLivedMetaToken,
            MetaAppSecret, PageMetaToken, KlaviyoKey, DashboardKlaviyoKey, ConnectedKlaviyoKey,
            // What the Sandbox's Google grants issue: refresh tokens and access tokens, whose values no test knows.
            "1//0gsandbox", "ya29.a0sandbox"];

    /// <summary>Every log line the instances wrote (the killed ones' too), every telemetry file in the archive, every error body answered.</summary>
    public async Task<List<(string Source, string Text)>> EverythingWritten()
    {
        var written = new List<(string, string)>();
        lock (_services) written.AddRange(_services.Select(s => ($"{s.Key} log", s.Value.Output)));
        written.AddRange(_retiredOutput.Select(r => ($"{r.Instance} log (before a restart)", r.Output)));
        written.AddRange(ErrorBodies.Select((body, i) => ($"error body {i}", body)));
        using var s3 = LocalInfrastructure.S3Client();
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = Bucket, Prefix = "telemetry/" };
        Amazon.S3.Model.ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? []) written.Add(($"s3://{Bucket}/{item.Key}", await LocalInfrastructure.ReadObject(Bucket, item.Key)));
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return written;
    }

    public async Task DisposeAsync()
    {
        await _supervision.CancelAsync();
        if (_supervisor is not null) await _supervisor;
        // The whole run's output, once every test is done: a secret or an address anywhere fails the run.
        var findings = SecretScan.Findings(await EverythingWritten(), Secrets);
        try
        {
            foreach (var service in _services.Values) service.Dispose();
            if (_virtualHost is not null && Directory.Exists(SandboxState)) Directory.Delete(SandboxState, recursive: true);
            if (_virtualHost is not null && !BrokerGoesWithTheSystem) await _virtualHost.DisposeAsync();
            if (_database is not null) await _database.DisposeAsync();
            if (_storeRelay is not null) await _storeRelay.DisposeAsync();
        }
        finally
        {
            await StopBroker();
        }
        if (findings.Count > 0)
            throw new InvalidOperationException($"The integration run wrote a secret or an e-mail address:\n{string.Join('\n', findings)}");
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
    private bool _disposed;

    /// <summary>The process ended without the test ending it.</summary>
    public bool EndedByItself => !_disposed && _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Puts the output of the instance this one replaces before its own.</summary>
    public void Inherit(string earlierOutput)
    {
        lock (_output) _output.Insert(0, earlierOutput);
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static ServiceProcess Start(string service, int port, IReadOnlyDictionary<string, string> environment, string? name = null)
    {
        name ??= service;
        var assembly = RepositoryPaths.ServiceAssembly(service);
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
        var started = new ServiceProcess(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
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
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
