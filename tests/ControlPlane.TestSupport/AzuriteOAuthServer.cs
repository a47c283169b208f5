using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace ControlPlane.TestSupport;

/// <summary>
/// An Azurite blob service of its own that takes Microsoft Entra ID bearer tokens (<c>--oauth basic</c>), which Azurite
/// accepts only over https: it serves a self-signed certificate made with openssl for this instance. Azurite's basic
/// check reads a token's audience, issuer and lifetime and skips the signature, so <see cref="StorageTokenCredential"/>
/// can mint what it accepts. Only <see cref="Transport"/> trusts the certificate, and only this one (pinned by hash).
/// </summary>
public sealed class AzuriteOAuthServer : IDisposable
{
    /// <summary>Set by scripts/test.sh: the <c>azurite-blob</c> executable it installed.</summary>
    public const string Variable = "CONTROLPLANE_TEST_AZURITE_BLOB";

    private readonly TempDirectory _directory = new("cp-azurite-oauth");
    private readonly Process _process;
    private readonly string _certificateHash;

    public AzuriteOAuthServer()
    {
        var executable = TestScriptVariable.Require(Variable, "installs Azurite (and names its azurite-blob executable)");
        string cert = _directory.File("cert.pem"), key = _directory.File("key.pem");
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
        using (var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(cert)))
            _certificateHash = certificate.GetCertHashString();
        var port = FreePort.Next();
        var data = Directory.CreateDirectory(_directory.File("data")).FullName;
        _process = Process.Start(new ProcessStartInfo(executable,
            ["--blobHost", "127.0.0.1", "--blobPort", $"{port}", "--location", data, "--oauth", "basic", "--cert", cert, "--key", key,
             "--skipApiVersionCheck", "--loose", "--silent"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        ServiceUri = new Uri($"https://127.0.0.1:{port}/devstoreaccount1");
        WaitForPort(port);
    }

    /// <summary>The account's blob endpoint, as <c>ControlPlane:Artifacts:AzureBlob:ServiceUri</c> takes it.</summary>
    public Uri ServiceUri { get; }

    /// <summary>An HTTP transport that trusts this server's certificate and no other untrusted one.</summary>
    public HttpPipelineTransport Transport => new HttpClientTransport(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || certificate?.GetCertHashString() == _certificateHash,
        },
    });

    private void WaitForPort(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Azurite with OAuth did not listen on {port}: {(_process.HasExited ? _process.StandardError.ReadToEnd() : "still starting")}", e);
            }
        }
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {error}{output.Result}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _directory.Dispose();
    }
}
