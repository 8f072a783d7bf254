using System.Net.Http.Json;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using Testcontainers.RabbitMq;

namespace GrowthOs.Testing;

/// <summary>
/// A RabbitMQ cluster as the Kubernetes manifests declare it (a RabbitmqCluster of three replicas, every receive
/// endpoint a quorum queue): three nodes in containers that Testcontainers.RabbitMq starts on a network of their own,
/// behind one address that balances new connections over the nodes that accept them, as the cluster's Service does.
/// </summary>
public sealed class ContainerCluster : IAsyncDisposable
{
    private const string Cookie = "growthos-test-cluster-cookie";
    private readonly INetwork _network;
    private readonly RabbitMqContainer[] _nodes;
    private readonly (int Amqp, int Management)[] _ports;
    private readonly TcpOutageProxy _amqp;
    private readonly TcpOutageProxy _management;

    private ContainerCluster(INetwork network, RabbitMqContainer[] nodes, (int, int)[] ports, string password)
    {
        (_network, _nodes, _ports) = (network, nodes, ports);
        _amqp = TcpOutageProxy.Start(ports.Select(p => p.Item1).ToArray());
        _management = TcpOutageProxy.Start(ports.Select(p => p.Item2).ToArray());
        Broker = new Broker("127.0.0.1", _amqp.Port, _management.Port, "growthos", password, ContainerBroker.Remedy)
        {
            QuorumQueues = true, ManagementTimeout = TimeSpan.FromSeconds(90),
        };
    }

    /// <summary>The cluster as its clients reach it.</summary>
    public Broker Broker { get; }

    public static string NodeName(int node) => $"rabbit@rabbit-{node + 1}";

    /// <summary>Starts the first node, then the two others, which join it; returns once all three run as one cluster.</summary>
    public static async Task<ContainerCluster> Start()
    {
        ContainerBroker.UseThisMachinesDocker();
        var network = new NetworkBuilder().WithName($"growthos-cluster-{Guid.NewGuid():N}"[..25]).Build();
        await network.CreateAsync();
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var ports = Enumerable.Range(0, 3).Select(_ => (LocalInfrastructure.FreePort(), LocalInfrastructure.FreePort())).ToArray();
        var nodes = Enumerable.Range(0, 3).Select(i => new RabbitMqBuilder(ContainerBroker.Image)
            .WithNetwork(network)
            .WithHostname($"rabbit-{i + 1}")
            .WithNetworkAliases($"rabbit-{i + 1}")
            .WithUsername("growthos")
            .WithPassword(password)
            .WithEnvironment("RABBITMQ_NODENAME", NodeName(i))
            .WithEnvironment("RABBITMQ_ERLANG_COOKIE", Cookie)
            // A node that is not yet clustered joins the first one at its first boot.
            .WithEnvironment("RABBITMQ_EXTRA_CONF",
                $"cluster_formation.peer_discovery_backend = classic_config\ncluster_formation.classic_config.nodes.1 = {NodeName(0)}")
            .WithPortBinding(ports[i].Item1, RabbitMqBuilder.RabbitMqPort)
            .WithPortBinding(ports[i].Item2, 15672)
            .Build()).ToArray();
        var cluster = new ContainerCluster(network, nodes, ports, password);
        try
        {
            await nodes[0].StartAsync();
            await Task.WhenAll(nodes.Skip(1).Select(node => node.StartAsync()));
            await cluster.WaitForRunningNodes(3, TimeSpan.FromSeconds(90));
        }
        catch (Exception exception)
        {
            await cluster.DisposeAsync();
            throw new InvalidOperationException(
                $"The broker cluster ({ContainerBroker.Image} ×3) did not form: {exception.Message}. {ContainerBroker.Remedy}", exception);
        }
        return cluster;
    }

    /// <summary>How many of the cluster's client connections each node holds, by node name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ConnectionsByNode()
    {
        using var http = Broker.Management();
        var connections = await http.GetFromJsonAsync<JsonElement>("/api/connections?columns=node");
        return connections.EnumerateArray().GroupBy(c => c.GetProperty("node").GetString()!).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Stops node <paramref name="node"/> (0-2) as a pod goes away: its node shuts down, its clients' connections close.</summary>
    public Task StopNode(int node) => _nodes[node].StopAsync();

    /// <summary>Waits until <paramref name="count"/> nodes report running, every one of them part of the same cluster.</summary>
    public async Task WaitForRunningNodes(int count, TimeSpan timeout)
    {
        await Broker.WaitUntilServing(timeout);
        using var http = Broker.Management();
        var deadline = DateTime.UtcNow + timeout;
        var running = 0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var nodes = await http.GetFromJsonAsync<JsonElement>("/api/nodes?columns=name,running");
                running = nodes.EnumerateArray().Count(n => n.GetProperty("running").GetBoolean());
                if (running == count) return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
            {
            }
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"{running} of {count} nodes are running after {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _amqp.DisposeAsync();
        await _management.DisposeAsync();
        await Task.WhenAll(_nodes.Select(node => node.DisposeAsync().AsTask()));
        await _network.DisposeAsync();
    }
}
