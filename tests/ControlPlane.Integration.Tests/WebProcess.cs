using ControlPlane.TestSupport;

namespace ControlPlane.Integration.Tests;

/// <summary>The web app as its own process (Kestrel on a loopback port, Production environment) with an admin token, ready when it returns.</summary>
internal sealed class WebProcess(TempDirectory data, AppProcess app, string url) : IAsyncDisposable
{
    public string Url => url;

    /// <summary>Everything the process printed so far.</summary>
    public string Output => app.Output;

    public static async Task<WebProcess> StartAsync(string adminToken, params (string Key, string Value)[] settings)
    {
        var data = new TempDirectory("cp-web-process");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ControlPlane__DataDirectory"] = data.Path,
            ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
            ["ControlPlane__Bootstrap__AdminUserName"] = "admin",
            ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = adminToken,
        };
        foreach (var (key, value) in settings)
            environment[key] = value;
        var app = AppProcess.Start("ControlPlane.Web", environment, data.Path);
        await Readiness.WaitAsync(url, app);
        return new WebProcess(data, app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        data.Dispose();
    }
}
