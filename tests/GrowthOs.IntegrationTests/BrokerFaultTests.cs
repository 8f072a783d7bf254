using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The broker's faults, on a broker of this class's own: a container that Testcontainers.RabbitMq starts, under a
/// running system of its own, so that stopping it touches no other test. A run whose broker stops mid-way (its node
/// shut down, every connection closed) and starts again completes like an undisturbed run of a twin shop.
/// </summary>
public sealed class BrokerFaultTests(ContainerBrokerSystem system) : IClassFixture<ContainerBrokerSystem>
{
    [Theory]
    [InlineData("Broker", "downloading", 5)]
    [InlineData("BrokerOutage", "upserting", 30)]
    public async Task A_run_whose_broker_stops_mid_way_ends_like_an_undisturbed_one(string disturbance, string atStep, int downSeconds) =>
        await TwinRuns.Of(system).EndsLikeAnUndisturbedRun(disturbance, atStep, async () =>
        {
            await system.RestartBroker(TimeSpan.FromSeconds(downSeconds));
            return 1;
        });
}

/// <summary>The running system on a broker in a container of its own (<see cref="ContainerBroker"/>).</summary>
public sealed class ContainerBrokerSystem : RunningSystem
{
    private ContainerBroker? _broker;

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
