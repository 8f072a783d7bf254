namespace GrowthOs.Testing;

/// <summary>Finds the repository root (the folder holding GrowthOs.Services.sln) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Reverse().Skip(2).FirstOrDefault() ?? "Debug";

    public static string ServiceAssembly(string service) =>
        Path.Combine(Root, "services", service, "bin", Configuration, "net10.0", $"GrowthOs.{service}.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GrowthOs.Services.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No GrowthOs.Services.sln above {AppContext.BaseDirectory}.");
    }
}
