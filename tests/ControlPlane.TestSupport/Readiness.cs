namespace ControlPlane.TestSupport;

public static class Readiness
{
    /// <summary>Waits until the web app at <paramref name="url"/> answers /health/ready with 200.</summary>
    public static async Task WaitAsync(string url, AppProcess app, TimeSpan? timeout = null)
    {
        using var probe = new HttpClient();
        await Eventually.GetAsync<string>(async () =>
        {
            if (app.HasExited)
                throw new InvalidOperationException($"The app exited with code {app.ExitCode}:\n{app.Output}");
            try
            {
                return (await probe.GetAsync($"{url}/health/ready")).IsSuccessStatusCode ? "ready" : null;
            }
            catch (HttpRequestException)
            {
                return null; // not listening yet
            }
        }, timeout ?? TimeSpan.FromSeconds(90), $"{url}/health/ready");
    }
}
