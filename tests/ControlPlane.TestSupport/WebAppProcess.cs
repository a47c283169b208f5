namespace ControlPlane.TestSupport;

/// <summary>
/// The web app as its own process (Kestrel on a free loopback port, production environment) with a bootstrap admin
/// who holds <see cref="AdminToken"/>, in a data directory of its own; returned once <c>/health/ready</c> answers.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    public const string AdminUserName = "admin";

    private readonly TempDirectory? _data;

    private WebAppProcess(TempDirectory? data, string dataDirectory, AppProcess app, string url, string adminToken)
    {
        _data = data;
        DataDirectory = dataDirectory;
        App = app;
        Url = url;
        AdminToken = adminToken;
    }

    public AppProcess App { get; }
    public string Url { get; }
    public string AdminToken { get; }
    public string DataDirectory { get; }

    /// <summary>Starts the app; <paramref name="settings"/> are environment variables (<c>Section__Key</c>) added to or replacing the defaults.</summary>
    public static Task<WebAppProcess> StartAsync(string adminToken, params (string Key, string Value)[] settings) =>
        StartAsync(adminToken, new TempDirectory("cp-web-process"), null, settings);

    /// <summary>Starts the app on a data directory the caller owns (a restart on the same data keeps it).</summary>
    public static Task<WebAppProcess> StartOnAsync(string dataDirectory, string adminToken, params (string Key, string Value)[] settings) =>
        StartAsync(adminToken, null, dataDirectory, settings);

    private static async Task<WebAppProcess> StartAsync(string adminToken, TempDirectory? owned, string? dataDirectory, (string Key, string Value)[] settings)
    {
        var data = dataDirectory ?? owned!.Path;
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ControlPlane__DataDirectory"] = data,
            ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
            ["ControlPlane__Bootstrap__AdminUserName"] = AdminUserName,
            ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = adminToken,
        };
        foreach (var (key, value) in settings)
            environment[key] = value;
        var app = AppProcess.Start("ControlPlane.Web", environment, data);
        var web = new WebAppProcess(owned, data, app, url, adminToken);
        try
        {
            await Readiness.WaitAsync(url, app);
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }
        return web;
    }

    /// <summary>A client of the app whose requests carry the admin's bearer token.</summary>
    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _data?.Dispose();
    }
}
