using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The broker's faults, on a broker of this class's own: a container that Testcontainers.RabbitMq starts, under a
/// running system of its own, so that stopping it touches no other test. A run whose broker stops mid-way (its node
/// shut down, every connection closed, down for 5 s) and starts again completes like an undisturbed run of a twin shop.
/// </summary>
public sealed class BrokerFaultTests(ContainerBrokerSystem system) : IClassFixture<ContainerBrokerSystem>
{
    [Fact]
    public async Task A_run_whose_broker_stops_mid_way_ends_like_an_undisturbed_one() =>
        await TwinRuns.Of(system).EndsLikeAnUndisturbedRun("Broker", "downloading", async () =>
        {
            await system.RestartBroker(TimeSpan.FromSeconds(5));
            return 1;
        });
}

/// <summary>The running system on a broker in a container of its own (<see cref="ContainerBroker"/>).</summary>
public sealed class ContainerBrokerSystem : RunningSystem
{
    private ContainerBroker? _broker;

    public override string TwinReference => SmallReferenceShop;

    protected override bool BrokerGoesWithTheSystem => true;

    protected override async Task<Broker> StartBroker()
    {
        _broker = await ContainerBroker.Start();
        return _broker.Broker;
    }

    protected override async Task StopBroker()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }

    /// <summary>The broker stopped for <paramref name="down"/> and started again on the same ports.</summary>
    public Task RestartBroker(TimeSpan down) => _broker!.Restart(down);
}

/// <summary>
/// The broker as the Kubernetes manifests declare it: a cluster of three nodes, every queue of the services a quorum
/// queue (<see cref="ContainerCluster"/>). The node holding most of the services' connections stops mid-run and stays
/// down: the services reconnect to the two others, the quorum queues keep their messages, and the run ends like an
/// undisturbed twin's (same rows, watermark and events, no error queue grown).
/// </summary>
public sealed class BrokerClusterTests(ClusterBrokerSystem system) : IClassFixture<ClusterBrokerSystem>
{
    [Fact]
    public async Task A_run_whose_busiest_broker_node_stops_mid_way_ends_like_an_undisturbed_one()
    {
        string? stopped = null;
        await TwinRuns.Of(system).EndsLikeAnUndisturbedRun("ClusterNode", "downloading", async () =>
        {
            var connections = await system.Cluster.ConnectionsByNode();
            Assert.True(connections.Count >= 2, $"the services' connections are not spread over the nodes: {string.Join(", ", connections)}");
            stopped = connections.MaxBy(node => node.Value).Key;
            await system.Cluster.StopNode(Enumerable.Range(0, 3).Single(i => ContainerCluster.NodeName(i) == stopped));
            return connections[stopped];
        });
        using var http = system.Broker.Management();
        var queues = await http.GetFromJsonAsync<JsonElement>($"/api/queues/{Uri.EscapeDataString(system.VirtualHost)}?columns=name,type");
        Assert.Contains(queues.EnumerateArray(), queue => queue.GetProperty("type").GetString() == "quorum");
        Assert.DoesNotContain(await system.Cluster.ConnectionsByNode(), node => node.Key == stopped);
    }
}

/// <summary>The running system on a three-node cluster in containers of its own (<see cref="ContainerCluster"/>).</summary>
public sealed class ClusterBrokerSystem : RunningSystem
{
    public ContainerCluster Cluster { get; private set; } = null!;

    public override string TwinReference => SmallReferenceShop;

    protected override bool BrokerGoesWithTheSystem => true;

    protected override async Task<Broker> StartBroker()
    {
        Cluster = await ContainerCluster.Start();
        return Cluster.Broker;
    }

    protected override async Task StopBroker()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
