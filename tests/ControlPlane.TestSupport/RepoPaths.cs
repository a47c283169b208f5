namespace ControlPlane.TestSupport;

public static class RepoPaths
{
    /// <summary>The checkout root (the folder holding ControlPlane.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build output of one of the apps, in the configuration the tests were built with.</summary>
    public static string AppDll(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var path = Path.Combine(Root, "src", project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first ({configuration}); expected {path}.");
    }

    /// <summary>
    /// The published output of one of the apps (<c>out/web</c>, <c>out/workers</c>), made by the commands in
    /// docs/deploy.md; scripts/test.sh runs them before the tests.
    /// </summary>
    public static string PublishedDll(string folder, string project)
    {
        var path = Path.Combine(Root, "out", folder, $"{project}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Publish {project} first (dotnet publish src/{project} -c Release -o out/{folder}, as scripts/test.sh does); expected {path}.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("ControlPlane.sln not found above the test output.");
    }
}
