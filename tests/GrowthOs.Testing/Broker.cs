using System.Net.Http.Headers;
using System.Text;

namespace GrowthOs.Testing;

/// <summary>
/// A RabbitMQ broker the tests reach: its AMQP and management ports on <paramref name="Host"/>, its login, and what to
/// do when it does not answer (<paramref name="Remedy"/>).
/// </summary>
public sealed record Broker(string Host, int AmqpPort, int ManagementPort, string Username, string Password, string Remedy)
{
    /// <summary>The services declare their queues as quorum queues (a cluster of three or more nodes).</summary>
    public bool QuorumQueues { get; init; }

    /// <summary>
    /// How long a management call may take: a cluster with a node down answers a listing only once its call to that
    /// node has timed out.
    /// </summary>
    public TimeSpan ManagementTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public HttpClient Management()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{Host}:{ManagementPort}"), Timeout = ManagementTimeout };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        return http;
    }

    /// <summary>The settings a service reaches this broker with.</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings(string virtualHost) => new Dictionary<string, string>
    {
        ["RabbitMq__Host"] = Host,
        ["RabbitMq__Port"] = AmqpPort.ToString(),
        ["RabbitMq__VirtualHost"] = virtualHost,
        ["RabbitMq__Username"] = Username,
        ["RabbitMq__Password"] = Password,
        ["RabbitMq__QuorumQueues"] = QuorumQueues ? "true" : "false",
    };

    /// <summary>A new virtual host, so a test run's queues meet no other run's; deleted by the returned handle.</summary>
    public async Task<TestVirtualHost> CreateVirtualHost(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        using var http = Management();
        try
        {
            using var response = await http.PutAsync($"/api/vhosts/{Uri.EscapeDataString(name)}", new StringContent("{}", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
        catch (HttpRequestException exception)
        {
            throw new InvalidOperationException($"RabbitMQ management is not answering on {Host}:{ManagementPort}. {Remedy}", exception);
        }
        return new TestVirtualHost(name, this);
    }

    /// <summary>Waits until the management API answers and the broker raises no alarm: the broker is serving.</summary>
    public async Task WaitUntilServing(TimeSpan timeout)
    {
        using var http = Management();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/api/health/checks/alarms");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"RabbitMQ on {Host}:{ManagementPort} is not serving after {timeout}. {Remedy}");
            await Task.Delay(250);
        }
    }
}
