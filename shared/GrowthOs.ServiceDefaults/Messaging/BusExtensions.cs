using GrowthOs.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Messaging;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ: endpoints by convention (kebab-case), an interval retry, and a log scope carrying
    /// the run id of every consumed message. The bus health check is tagged ready, and a bus that stays unhealthy ends the
    /// process (<see cref="BusWatchdog"/>); unless the bus is not <paramref name="essential"/> to the service (the gateway
    /// serves every request without it): then a broker outage only delays what its consumers do, their messages waiting in
    /// their queues.
    /// </summary>
    public static WebApplicationBuilder AddGrowthOsBus(
        this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> registerConsumers,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBus = null,
        bool essential = true)
    {
        builder.Services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (essential) builder.Services.AddHostedService<BusWatchdog>();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit 8.5 reports usage to its makers unless told not to; nothing about a deployment leaves it.
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                if (essential) health.Tags.Add(HostingExtensions.ReadyTag);
            });
            registerConsumers(bus);
            var waitedOut = WaitedOutFaults.EndpointsOf(System.Reflection.Assembly.GetEntryAssembly());
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues)
                    rabbit.SetQuorumQueue();
                // A run's command whose transient fault the run waits out leaves no copy in the error queue.
                if (waitedOut.Contains(name)) endpoint.DiscardTransientFaults();
            });

            bus.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                });
                cfg.UseConsumeFilter(typeof(RunIdLogScopeFilter<>), context);
                cfg.UseMessageRetry(retry => retry.Interval(options.RetryLimit, options.RetryIntervalMilliseconds));
                // Inside the retries: each attempt that lost its database connection clears the pool for the next.
                cfg.UseConsumeFilter(typeof(Persistence.DroppedConnectionFilter<>), context);
                configureBus?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
