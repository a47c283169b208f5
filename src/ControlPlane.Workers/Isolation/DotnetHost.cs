namespace ControlPlane.Workers.Isolation;

/// <summary>The <c>dotnet</c> executable that runs this process, to start child processes of the same runtime.</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Resolve();

    private static string Resolve()
    {
        // `dotnet app.dll` (the documented way to run the apps, and test hosts) runs under the dotnet muxer itself.
        if (Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        // An apphost (./ControlPlane.Web): the SDK and runtime installers set DOTNET_HOST_PATH or put dotnet on PATH.
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
