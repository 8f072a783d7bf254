using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.Transform.Commerce;

public static class CommerceRegistration
{
    /// <summary>The publisher of the order-event outbox.</summary>
    public static WebApplicationBuilder AddCommerceEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CommerceEventOptions>(CommerceEventOptions.Section);
        builder.Services.AddHostedService<CommerceEventDispatcher>();
        return builder;
    }
}
