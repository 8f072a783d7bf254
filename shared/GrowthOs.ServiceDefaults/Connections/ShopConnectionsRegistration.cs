using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Connections;

public static class ShopConnectionsRegistration
{
    /// <summary>The service's copy of the connections (after <c>AddPostgres</c>); its bus takes <see cref="AddConnectionCopy"/>.</summary>
    public static WebApplicationBuilder AddShopConnections(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ShopConnections>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ShopConnections>());
        return builder;
    }

    /// <summary>
    /// The consumer that keeps the copy, on a queue of the service's own (<c>{service}-connection-copy</c>): every service
    /// hears every event, rather than the services sharing one queue.
    /// </summary>
    public static void AddConnectionCopy(this IBusRegistrationConfigurator bus, string service) =>
        bus.AddConsumer<ConnectionCopyConsumer>().Endpoint(endpoint => endpoint.Name = $"{service}-connection-copy");

    /// <summary>Gives <typeparamref name="TOptions"/> the marketing sources connected to each shop, through <paramref name="connect"/>.</summary>
    public static IServiceCollection UseConnectedSources<TOptions>(this IServiceCollection services,
        Action<TOptions, Func<string, IReadOnlyList<string>>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, shop => provider.GetRequiredService<ShopConnections>().SourcesOf(shop))));

    /// <summary>
    /// Gives <typeparamref name="TOptions"/> each shop's account of a provider connected at run time and syncing (else
    /// null), through <paramref name="connect"/>.
    /// </summary>
    public static IServiceCollection UseConnectedAccounts<TOptions>(this IServiceCollection services,
        Action<TOptions, Func<string, string, ShopConnection?>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, (shop, source) => provider.GetRequiredService<ShopConnections>().AccountOf(shop, source))));

    /// <summary>Gives <typeparamref name="TOptions"/> each shop's connection (null for a shop not connected), through <paramref name="connect"/>.</summary>
    public static IServiceCollection UseConnectedShops<TOptions>(this IServiceCollection services, Action<TOptions, Func<string, ShopConnection?>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, shop => provider.GetRequiredService<ShopConnections>().Of(shop))));

    /// <summary>
    /// Gives <typeparamref name="TOptions"/> the shops' reporting time zones (<see cref="ReportingTimeZones"/>: a connected
    /// shop's own, else <c>ReportingTimeZones:{shop}</c>, else UTC), through <paramref name="use"/>; the settings are
    /// checked at start.
    /// </summary>
    public static IServiceCollection UseReportingTimeZones<TOptions>(this IServiceCollection services, Action<TOptions, ReportingTimeZones> use)
        where TOptions : class
    {
        if (!services.Any(d => d.ServiceType == typeof(ReportingTimeZones)))
        {
            services.AddOptions<ReportingTimeZoneSettings>()
                .Configure<IConfiguration>((settings, configuration) =>
                {
                    foreach (var shop in configuration.GetSection(ReportingTimeZoneSettings.Section).GetChildren())
                        if (shop.Value is { } zone) settings.Shops[shop.Key] = zone;
                    settings.FormerSectionsGiven.AddRange(ReportingTimeZoneSettings.FormerSections.Where(s => configuration.GetSection(s).Exists()));
                })
                .ValidateDataAnnotations()
                .ValidateOnStart();
            services.AddSingleton(provider => new ReportingTimeZones(
                provider.GetRequiredService<IOptions<ReportingTimeZoneSettings>>().Value.Shops,
                shop => provider.GetService<ShopConnections>()?.TimeZoneOf(shop)));
        }
        return services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => use(options, provider.GetRequiredService<ReportingTimeZones>())));
    }
}
