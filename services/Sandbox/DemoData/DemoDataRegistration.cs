using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.Sandbox.DemoData;

public static class DemoDataRegistration
{
    /// <summary>The Sandbox's settings and its deterministic demo shops, which every emulated API reads.</summary>
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SandboxOptions>(SandboxOptions.Section);
        builder.Services.PostConfigure<SandboxOptions>(sandbox => sandbox.Fleet.AddTo(sandbox));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DemoShops>();
        return builder;
    }
}
