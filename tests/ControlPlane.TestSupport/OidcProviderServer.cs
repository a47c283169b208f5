using System.Diagnostics;
using System.Text;

namespace ControlPlane.TestSupport;

/// <summary>
/// A real OpenID provider on loopback: the npm package oidc-provider (installed by scripts/test.sh) run by
/// tests/oidc/provider.mjs, with one confidential client for the app under test and the users ada (cp-admins),
/// rita and rick (cp-reviewers) and nora (nobody), each with the password <c>pass-&lt;name&gt;</c>. Its login form
/// has the fields <c>#idp-user</c>, <c>#idp-password</c> and the button <c>#idp-sign-in</c>.
/// </summary>
public sealed class OidcProviderServer : IAsyncDisposable
{
    /// <summary>Set by scripts/test.sh: the directory it installed oidc-provider into.</summary>
    public const string Variable = "CONTROLPLANE_TEST_OIDC_PROVIDER";
    public const string ClientId = "controlplane-tests";
    public const string ClientSecret = "controlplane-tests-secret";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OidcProviderServer(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    public string Issuer { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string PasswordOf(string user) => $"pass-{user}";

    /// <summary>The issuer a provider started on <paramref name="port"/> has (an app can be configured with it before the provider starts).</summary>
    public static string IssuerOn(int port) => $"http://127.0.0.1:{port}";

    /// <summary>Starts the provider on <paramref name="port"/> for an app whose callback is <paramref name="redirectUri"/>.</summary>
    public static async Task<OidcProviderServer> StartAsync(int port, string redirectUri)
    {
        var directory = TestScriptVariable.Require(Variable, "installs oidc-provider (and names its directory)");
        var start = new ProcessStartInfo("node", [Path.Combine(RepoPaths.Root, "tests", "oidc", "provider.mjs")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["OIDC_PROVIDER_DIR"] = directory;
        start.Environment["OIDC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_REDIRECT_URI"] = redirectUri;
        start.Environment["OIDC_CLIENT_ID"] = ClientId;
        start.Environment["OIDC_CLIENT_SECRET"] = ClientSecret;
        var process = Process.Start(start)!;
        var server = new OidcProviderServer(process, IssuerOn(port));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line is null)
                return;
            lock (server._output)
                server._output.AppendLine(line);
            if (line.StartsWith("oidc-provider listening on ", StringComparison.Ordinal))
                listening.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != listening.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"oidc-provider did not start: {server.Output}");
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
