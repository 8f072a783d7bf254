using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// A subscriber of the system's events of its own: a queue in the system's virtual host bound to the exchanges
/// MassTransit publishes the named contracts on, read through RabbitMQ's management API. Every message delivered to
/// it is kept, repeats included, so a test can count deliveries per message id.
/// </summary>
public sealed class BusTap : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _vhost;
    private readonly string _queue = $"test-tap-{Guid.NewGuid():N}";
    private readonly List<TappedMessage> _received = [];

    private BusTap(RunningSystem system) => (_http, _vhost) = (system.Broker.Management(), Uri.EscapeDataString(system.VirtualHost));

    /// <summary>Taps the exchanges of the contracts named as MassTransit names them, e.g. <c>GrowthOs.Contracts.Ingest:SyncCompleted</c>.</summary>
    public static async Task<BusTap> Start(RunningSystem system, params string[] exchanges)
    {
        var tap = new BusTap(system);
        (await tap._http.PutAsJsonAsync($"/api/queues/{tap._vhost}/{tap._queue}", new { durable = true, auto_delete = false })).EnsureSuccessStatusCode();
        foreach (var exchange in exchanges)
        {
            // Declared as MassTransit declares a publish exchange, in case no consumer has bound it yet.
            (await tap._http.PutAsJsonAsync($"/api/exchanges/{tap._vhost}/{Uri.EscapeDataString(exchange)}", new { type = "fanout", durable = true }))
                .EnsureSuccessStatusCode();
            (await tap._http.PostAsJsonAsync($"/api/bindings/{tap._vhost}/e/{Uri.EscapeDataString(exchange)}/q/{tap._queue}", new { routing_key = "" }))
                .EnsureSuccessStatusCode();
        }
        return tap;
    }

    /// <summary>Everything delivered so far.</summary>
    public async Task<IReadOnlyList<TappedMessage>> Received()
    {
        while (true)
        {
            var response = await _http.PostAsJsonAsync($"/api/queues/{_vhost}/{_queue}/get",
                new { count = 500, ackmode = "ack_requeue_false", encoding = "auto", truncate = 1_000_000 });
            response.EnsureSuccessStatusCode();
            var batch = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            foreach (var item in batch)
            {
                using var envelope = JsonDocument.Parse(item.GetProperty("payload").GetString()!);
                var root = envelope.RootElement;
                _received.Add(new TappedMessage(
                    root.GetProperty("messageId").GetGuid(),
                    root.GetProperty("messageType").EnumerateArray().First().GetString()!,
                    root.GetProperty("message").Clone()));
            }
            if (batch.Count < 500) return _received.ToList();
        }
    }

    /// <summary>Waits until <paramref name="enough"/> holds of what was delivered, and returns it.</summary>
    public async Task<IReadOnlyList<TappedMessage>> WaitFor(Func<IReadOnlyList<TappedMessage>, bool> enough, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = await Received();
            if (enough(received) || DateTime.UtcNow > deadline) return received;
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The messages in the virtual host's error queues (<c>*_error</c>, where a message goes that its consumer's retries
    /// could not handle), by queue. The broker's counts lag by up to its statistics interval (5 s).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> ErrorQueues(RunningSystem system)
    {
        using var http = system.Broker.Management();
        var queues = await http.GetFromJsonAsync<JsonElement>($"/api/queues/{Uri.EscapeDataString(system.VirtualHost)}?columns=name,messages");
        return queues.EnumerateArray()
            .Where(queue => queue.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .ToDictionary(queue => queue.GetProperty("name").GetString()!,
                queue => queue.TryGetProperty("messages", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt64() : 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _http.DeleteAsync($"/api/queues/{_vhost}/{_queue}");
        _http.Dispose();
    }
}

/// <summary>A message as the bus delivered it: its message id, its first message type (<c>urn:message:…</c>), its body.</summary>
public sealed record TappedMessage(Guid MessageId, string MessageType, JsonElement Message)
{
    public bool Is(string contract) => MessageType.EndsWith(":" + contract, StringComparison.Ordinal);

    public Guid? RunId => Message.TryGetProperty("runId", out var id) ? id.GetGuid() : null;
}
