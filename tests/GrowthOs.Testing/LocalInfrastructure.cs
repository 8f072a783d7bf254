using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Npgsql;

namespace GrowthOs.Testing;

/// <summary>
/// The PostgreSQL, RabbitMQ and S3-compatible servers that <c>deploy/local/infra.sh up</c> starts (ports overridable
/// with the same GROWTHOS_* variables). Tests that need them fail loudly when they are not running.
/// </summary>
public static class LocalInfrastructure
{
    public static int PostgresPort => Port("GROWTHOS_PG_PORT", 55432);
    /// <summary>The system cluster: only the integration suite's running system uses it, so its outage tests can restart it.</summary>
    public static int SystemPostgresPort => Port("GROWTHOS_SYSTEM_PG_PORT", 55433);
    public static int AmqpPort => Port("GROWTHOS_AMQP_PORT", 55672);
    public static int RabbitManagementPort => Port("GROWTHOS_RABBIT_MGMT_PORT", 55673);
    public static int S3Port => Port("GROWTHOS_S3_PORT", 55690);
    public static string S3ServiceUrl => $"http://127.0.0.1:{S3Port}";

    /// <summary>
    /// The local broker's and object store's logins, given to a service process in its environment: no service has a
    /// default for them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServiceCredentials { get; } = new Dictionary<string, string>
    {
        ["RabbitMq__Username"] = "guest",
        ["RabbitMq__Password"] = "guest",
        ["S3__AccessKey"] = "S3RVER",
        ["S3__SecretKey"] = "S3RVER",
    };

    public static string PostgresConnectionString(string database, int? port = null) =>
        $"Host=127.0.0.1;Port={port ?? PostgresPort};Username=postgres;Database={database};Timeout=5;Include Error Detail=true";

    /// <summary>A new empty database on the shared cluster, or on the cluster at <paramref name="port"/>; dropped by the returned handle.</summary>
    public static async Task<TestDatabase> CreateDatabase(string prefix, int? port = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using var connection = await OpenMaintenanceConnection(port ?? PostgresPort);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(name, PostgresConnectionString(name, port), port ?? PostgresPort);
    }

    internal static async Task<NpgsqlConnection> OpenMaintenanceConnection(int port)
    {
        var connection = new NpgsqlConnection(PostgresConnectionString("postgres", port) + ";Pooling=false");
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not running on 127.0.0.1:{port}. Start the local infrastructure with deploy/local/infra.sh up (./test.sh does).", exception);
        }
        return connection;
    }

    /// <summary>The broker that <c>deploy/local/infra.sh up</c> starts.</summary>
    public static Broker Broker { get; } = new("127.0.0.1", AmqpPort, RabbitManagementPort, "guest", "guest",
        "Start the local infrastructure with deploy/local/infra.sh up (./test.sh does).");

    public static IAmazonS3 S3Client(string? serviceUrl = null) => new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = serviceUrl ?? S3ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>A new bucket name for a test run (the services create the bucket when it is missing).</summary>
    public static string NewBucketName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<string> ReadObject(string bucket, string key)
    {
        using var s3 = S3Client();
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A loopback port free now, for a process or a relay of a test's own to listen on.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : fallback;
}

public sealed record TestDatabase(string Name, string ConnectionString, int Port) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await LocalInfrastructure.OpenMaintenanceConnection(Port);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed record TestVirtualHost(string Name, Broker Broker) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        using var http = Broker.Management();
        using var _ = await http.DeleteAsync($"/api/vhosts/{Uri.EscapeDataString(Name)}");
    }
}
