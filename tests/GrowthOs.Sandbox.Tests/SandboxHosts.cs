using Microsoft.AspNetCore.Mvc.Testing;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Sandbox in process, each started with a test's own settings (a null value leaves a setting as configured), over
/// an <see cref="HttpClient"/> of its test server; every one started is disposed with the helper.
/// </summary>
public sealed class SandboxHosts : IDisposable
{
    private readonly List<IDisposable> _factories = [];

    public HttpClient Start(IReadOnlyDictionary<string, string?> settings)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
                if (value is not null) web.UseSetting(key, value);
        });
        _factories.Add(factory);
        return factory.CreateClient();
    }

    public void Dispose()
    {
        foreach (var factory in _factories) factory.Dispose();
    }
}
