using MassTransit;
using Microsoft.AspNetCore.Builder;
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
    /// Gives <typeparamref name="TOptions"/> the shops' own time zones as their connections' checks found them (a zone this
    /// machine knows, else null), through
    /// <paramref name="connect"/>: a connected shop reports in its own zone, and the settings' zones serve only the shops
    /// of the settings.
    /// </summary>
    public static IServiceCollection UseConnectedTimeZones<TOptions>(this IServiceCollection services, Action<TOptions, Func<string, string?>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, shop => provider.GetRequiredService<ShopConnections>().TimeZoneOf(shop))));
}
