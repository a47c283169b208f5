using System.Net.Sockets;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// Turns what the Azure SDK throws into the store's typed errors: a missing blob is <see cref="NotFoundException"/>; a
/// service that cannot be reached, times out, fails or refuses the credentials is <see cref="ArtifactStoreUnavailableException"/>.
/// Messages name the account endpoint without its query (a SAS is a secret) and never the connection string.
/// </summary>
internal sealed class AzureBlobFailures(BlobContainerClient container, bool usesToken)
{
    private readonly string _where = $"Azure Blob container {new UriBuilder(container.Uri) { Query = "", UserName = "", Password = "" }.Uri}";

    public async Task GuardAsync(string sha256, CancellationToken ct, Func<Task> action) =>
        await GuardAsync(sha256, ct, async () => { await action(); return true; });

    public async Task<T> GuardAsync<T>(string sha256, CancellationToken ct, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new NotFoundException($"The artifact {sha256} is missing from the artifact store.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && Reason(e) is { } reason)
        {
            throw new ArtifactStoreUnavailableException($"The artifact store cannot be used: {_where} {reason}.", e);
        }
    }

    private string? Reason(Exception e) => e switch
    {
        RequestFailedException { Status: 0 } r => $"cannot be reached ({Innermost(r)})",
        RequestFailedException { Status: 401 or 403 } r when usesToken => $"refused the Entra ID token (HTTP {r.Status} {r.ErrorCode}{AuthenticationDetail(r)}); " +
            "check that the identity holds the Storage Blob Data Contributor role on the container and that its token is for Azure Storage (https://storage.azure.com)",
        RequestFailedException { Status: 401 or 403 } r => $"refused the credentials (HTTP {r.Status} {r.ErrorCode}); check the connection string's key or SAS and its permissions",
        // No token could be had: no managed identity here, or Entra ID refused the identity.
        Azure.Identity.AuthenticationFailedException a => $"could not get an Entra ID token for it ({FirstLine(a.Message)})",
        // Azure refuses a container's name for a while after it was deleted: a state that passes, like a 5xx.
        RequestFailedException r when r.Status is 408 or 429 or >= 500 || r.ErrorCode == BlobErrorCode.ContainerBeingDeleted => $"failed (HTTP {r.Status} {r.ErrorCode})",
        AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => Reason(i) is not null) => Reason(a.InnerExceptions[^1]),
        HttpRequestException or SocketException => $"cannot be reached ({Innermost(e)})",
        // The SDK's network timeout surfaces as a cancellation that nobody asked for.
        OperationCanceledException or TimeoutException => "did not answer in time",
        _ => null,
    };

    /// <summary>The service's reason for refusing a token ("Invalid token audience."); a token-only hint, as a SAS's reason would quote its string to sign.</summary>
    private static string AuthenticationDetail(RequestFailedException e) =>
        e.Message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("AuthenticationErrorDetail:", StringComparison.Ordinal)) is { } line
            ? ": " + line["AuthenticationErrorDetail:".Length..].Trim()
            : "";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static string Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
            e = inner;
        return e.Message;
    }
}
