using GrowthOs.Testing;
using Microsoft.Playwright;

namespace GrowthOs.IntegrationTests;

/// <summary>The built dashboard the gateway serves, and a real browser to read it with (Debian's Chromium, driven by Playwright).</summary>
public static class Dashboard
{
    public const string Chromium = "/usr/bin/chromium";
    public static string BuiltDirectory => Path.Combine(RepositoryPaths.Root, "web", "dashboard", "dist");
    public static string Screenshots => Path.Combine(RepositoryPaths.Root, ".local", "test-results", "dashboard");

    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    /// <summary>Builds the page when it has not been (./test.sh builds it first; a test run on its own may not have).</summary>
    public static async Task EnsureBuilt()
    {
        await BuildLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(BuiltDirectory, "index.html"))) return;
            var (code, output) = await Processes.Script("web/dashboard/build.sh");
            if (code != 0) throw new InvalidOperationException($"web/dashboard/build.sh failed ({code}):\n{output}");
        }
        finally
        {
            BuildLock.Release();
        }
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchBrowser()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: deploy/local/infra.sh up installs Debian's chromium (./test.sh does).");
        var playwright = await Playwright.CreateAsync();
        // As root, Chromium runs only without its sandbox.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return (playwright, browser);
    }
}
