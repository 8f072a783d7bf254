using System.Diagnostics;

namespace GrowthOs.Testing;

/// <summary>Runs a program (a project script, a server tool) to its end and returns its exit code and its output.</summary>
public static class Processes
{
    public static async Task<(int Code, string Output)> Run(string file, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>A script of the repository (<paramref name="script"/> from its root) run with bash.</summary>
    public static Task<(int Code, string Output)> Script(string script, params string[] arguments) =>
        Run("bash", [Path.Combine(RepositoryPaths.Root, script), .. arguments]);
}
