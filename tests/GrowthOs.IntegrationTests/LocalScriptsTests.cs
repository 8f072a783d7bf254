using System.Runtime.Versioning;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>The local scripts work wherever the repository is cloned.</summary>
public sealed class LocalScriptsTests
{
    private static readonly string[] ServerUsers = ["postgres", "rabbitmq"];

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task A_checkout_the_server_users_cannot_enter_keeps_the_server_data_in_a_folder_they_can()
    {
        // A temporary folder is 0700, as `mktemp -d` makes it.
        var checkout = Directory.CreateTempSubdirectory("growthos-checkout-");
        string? dataDir = null;
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(checkout.FullName));
            var script = Path.Combine(checkout.FullName, "deploy", "local", "infra.sh");
            Directory.CreateDirectory(Path.GetDirectoryName(script)!);
            File.Copy(Path.Combine(RepositoryPaths.Root, "deploy", "local", "infra.sh"), script);

            var (code, output) = await Run("bash", script, "data-dir");
            Assert.True(code == 0, output);
            dataDir = output.Trim().Split('\n')[^1];

            if (Environment.UserName != "root")
            {
                // Not root: the servers run as this user, who can enter its own checkout.
                Assert.Equal(Path.Combine(checkout.FullName, ".local"), dataDir);
                return;
            }
            Assert.False(dataDir.StartsWith(checkout.FullName), $"the server data stays inside the closed checkout: {dataDir}");
            foreach (var user in ServerUsers)
            {
                var (enters, why) = await Run("runuser", "-u", user, "--", "test", "-x", dataDir);
                Assert.True(enters == 0, $"{user} cannot enter {dataDir}: {why}");
            }
        }
        finally
        {
            checkout.Delete(recursive: true);
            if (dataDir is not null && !dataDir.StartsWith(checkout.FullName) && Directory.Exists(dataDir)
                && !Directory.EnumerateFileSystemEntries(dataDir).Any())
                Directory.Delete(dataDir);
        }
    }

    private static Task<(int Code, string Output)> Run(string file, params string[] arguments) => Processes.Run(file, arguments, workingDirectory: "/");
}
