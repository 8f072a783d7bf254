using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GrowthOs.Testing;

/// <summary>
/// A TCP relay in front of one of the shared servers (the object store, the database), so that one system under test
/// can lose that server while the other test projects that share it go on. <see cref="Outage"/> is the server going
/// away as in a crash or a restart: every open connection is reset, and a new one is refused until it comes back.
/// In front of several servers (a cluster's nodes) it balances as a Kubernetes Service does: each new connection goes
/// to the next server that accepts it.
/// </summary>
public sealed class TcpOutageProxy : IAsyncDisposable
{
    private readonly int[] _targets;
    private int _next;
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Upstream)> _links = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    private TcpOutageProxy(int[] targets, int port) => (_targets, Port) = (targets, port);

    /// <summary>Where the system under test is to connect.</summary>
    public int Port { get; }

    /// <summary>How many connections were reset by outages so far.</summary>
    public int ConnectionsCut { get; private set; }

    public static TcpOutageProxy Start(params int[] targetPorts)
    {
        var proxy = new TcpOutageProxy(targetPorts, LocalInfrastructure.FreePort());
        proxy.Listen();
        return proxy;
    }

    /// <summary>Resets every connection and refuses new ones for <paramref name="duration"/>, then relays again.</summary>
    public async Task Outage(TimeSpan duration)
    {
        Task accepting;
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            accepting = _accepting;
        }
        await accepting;
        foreach (var (id, (client, upstream)) in _links)
        {
            if (!_links.TryRemove(id, out _)) continue;
            Reset(client);
            Reset(upstream);
            ConnectionsCut++;
        }
        await Task.Delay(duration);
        Listen();
    }

    private void Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                listener.Start();
            }
            catch (SocketException) when (attempt < 50)
            {
                Thread.Sleep(100);
                continue;
            }
            lock (_gate)
            {
                _listener = listener;
                _accepting = Accept(listener);
            }
            return;
        }
    }

    private async Task Accept(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Relay(client);
        }
    }

    private async Task Relay(TcpClient client)
    {
        var upstream = await Connect();
        if (upstream is null)
        {
            Reset(client);
            return;
        }
        var id = Guid.NewGuid();
        _links[id] = (client, upstream);
        try
        {
            var (a, b) = (client.GetStream(), upstream.GetStream());
            await Task.WhenAny(Pump(a, b), Pump(b, a));
        }
        finally
        {
            if (_links.TryRemove(id, out _))
            {
                client.Dispose();
                upstream.Dispose();
            }
        }
    }

    /// <summary>A connection to the next target that accepts one, or null when none does.</summary>
    private async Task<TcpClient?> Connect()
    {
        var first = Interlocked.Increment(ref _next);
        for (var i = 0; i < _targets.Length; i++)
        {
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targets[(uint)(first + i) % _targets.Length]);
                return upstream;
            }
            catch (SocketException)
            {
                upstream.Dispose();
            }
        }
        return null;
    }

    private static async Task Pump(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or SocketException)
        {
            // The other side went, or an outage reset the link.
        }
    }

    /// <summary>Closes with a reset (RST), as a server that died does, rather than an orderly goodbye.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Task accepting;
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            accepting = _accepting;
        }
        await accepting;
        foreach (var (_, (client, upstream)) in _links)
        {
            client.Dispose();
            upstream.Dispose();
        }
        _links.Clear();
    }
}
