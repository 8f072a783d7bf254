using Testcontainers.RabbitMq;

namespace GrowthOs.Testing;

/// <summary>
/// A broker of one test class's own, in a container that Testcontainers.RabbitMq starts from the image
/// <c>deploy/local/docker.sh up</c> builds (Debian's RabbitMQ, no registry needed), so that stopping or restarting it
/// touches no other test. Its ports are fixed for its life: a restarted broker is found where it was.
/// </summary>
public sealed class ContainerBroker : IAsyncDisposable
{
    public const string Image = "growthos/rabbitmq:3.10-management";
    public const string Remedy = "Start Docker and build the broker image with deploy/local/docker.sh up (./test.sh does).";
    private readonly RabbitMqContainer _container;

    private ContainerBroker(RabbitMqContainer container, Broker broker) => (_container, Broker) = (container, broker);

    public Broker Broker { get; }

    /// <summary>Starts a broker, failing with what to do when Docker or the image is missing.</summary>
    public static async Task<ContainerBroker> Start()
    {
        UseThisMachinesDocker();
        var (amqp, management) = (LocalInfrastructure.FreePort(), LocalInfrastructure.FreePort());
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var container = new RabbitMqBuilder(Image)
            .WithUsername("growthos")
            .WithPassword(password)
            .WithPortBinding(amqp, RabbitMqBuilder.RabbitMqPort)
            .WithPortBinding(management, 15672)
            .Build();
        try
        {
            await container.StartAsync();
        }
        catch (Exception exception)
        {
            await container.DisposeAsync();
            throw new InvalidOperationException($"The broker container ({Image}) did not start: {exception.Message}. {Remedy}", exception);
        }
        var broker = new ContainerBroker(container, new Broker("127.0.0.1", amqp, management, "growthos", password, Remedy));
        await broker.Broker.WaitUntilServing(TimeSpan.FromSeconds(60));
        return broker;
    }

    /// <summary>
    /// The broker stopped (its node shut down, every connection closed) for <paramref name="down"/>, then started again
    /// on the same ports with its durable queues and persistent messages.
    /// </summary>
    public async Task Restart(TimeSpan down)
    {
        await _container.StopAsync();
        await Task.Delay(down);
        await _container.StartAsync();
        await Broker.WaitUntilServing(TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync() => await _container.DisposeAsync();

    /// <summary>
    /// This machine's Docker (see deploy/local/docker.sh): its API is 1.41; the reaper image cannot be pulled (the
    /// containers are removed here, and by the script); and ports are published on loopback, which the library would
    /// otherwise look for on the bridge's address inside a container.
    /// </summary>
    public static void UseThisMachinesDocker()
    {
        foreach (var (name, value) in new[]
                 {
                     ("DOCKER_API_VERSION", "1.41"), ("TESTCONTAINERS_RYUK_DISABLED", "true"), ("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1"),
                 })
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
