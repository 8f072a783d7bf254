using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.Transform.Loading;

public static class LoadingRegistration
{
    /// <summary>What loads an archived bulk file into the commerce tables (its consumer is found with the others).</summary>
    public static WebApplicationBuilder AddLoading(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<UpsertOptions>(UpsertOptions.Section);
        builder.Services.AddSingleton<OrderUpserter>().AddSingleton<BulkFileLoader>();
        return builder;
    }
}
