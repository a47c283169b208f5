using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Checked on start, so a typo in the provider or missing credentials stop the process with a message that names the setting.</summary>
internal sealed partial class ArtifactOptionsValidator : IValidateOptions<ArtifactOptions>
{
    private static readonly TimeSpan MinimumGracePeriod = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
        var errors = new List<string>();
        if (options.MaxUploadBytes <= 0)
            errors.Add($"{ArtifactOptions.Section}:MaxUploadBytes must be positive.");
        if (options.Sweep.GracePeriod < MinimumGracePeriod)
            errors.Add($"{ArtifactOptions.Section}:Sweep:GracePeriod must be at least {MinimumGracePeriod} (uploads publish their file before their row commits).");
        switch (ArtifactProviders.Parse(options.Provider))
        {
            case null:
                errors.Add($"{ArtifactOptions.Section}:Provider '{options.Provider}' is not one of {string.Join(", ", Enum.GetNames<ArtifactProvider>())}.");
                break;
            case ArtifactProvider.FileSystem:
                break;
            case ArtifactProvider.AzureBlob:
                errors.AddRange(AzureBlobErrors(options.AzureBlob));
                break;
            default:
                throw new InvalidOperationException($"Unhandled artifact provider {options.Provider}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> AzureBlobErrors(AzureBlobArtifactOptions blob)
    {
        const string section = $"{ArtifactOptions.Section}:AzureBlob";
        var hasConnectionString = !string.IsNullOrWhiteSpace(blob.ConnectionString);
        if (hasConnectionString && blob.UsesServiceUri)
            yield return $"{section}:ConnectionString and {section}:ServiceUri are both set; set one (ServiceUri for a managed identity).";
        else if (!hasConnectionString && !blob.UsesServiceUri)
            yield return $"{section}:ConnectionString or {section}:ServiceUri (with a managed identity) is required when {ArtifactOptions.Section}:Provider is AzureBlob.";
        else if (hasConnectionString && !AzureBlobArtifactStore.IsConnectionString(blob.ConnectionString!))
            yield return $"{section}:ConnectionString is not an Azure Storage connection string (its value is a secret and is not shown).";
        foreach (var error in IdentityErrors(blob, section))
            yield return error;
        if (!ContainerName().IsMatch(blob.Container ?? ""))
            yield return $"{section}:Container '{blob.Container}' is not a container name (3-63 lowercase letters, digits and single hyphens, starting with a letter or digit).";
        if (string.IsNullOrWhiteSpace(blob.CacheDirectory))
            yield return $"{section}:CacheDirectory must not be empty.";
        if (blob.MaxRetries is < 0 or > 10)
            yield return $"{section}:MaxRetries must be 0-10.";
    }

    /// <summary>The service URI and the credential settings that only mean something with it.</summary>
    private static IEnumerable<string> IdentityErrors(AzureBlobArtifactOptions blob, string section)
    {
        if (blob.UsesServiceUri)
        {
            if (!Uri.TryCreate(blob.ServiceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                yield return $"{section}:ServiceUri '{blob.ServiceUri}' is not an https URI (the account's blob endpoint, https://ACCOUNT.blob.core.windows.net; Entra ID tokens are only sent over https).";
            else if (uri.Query.Length > 0 || uri.UserInfo.Length > 0)
                yield return $"{section}:ServiceUri must carry no query or user (a SAS belongs in {section}:ConnectionString); its value is not shown.";
        }
        else if (!string.IsNullOrWhiteSpace(blob.Credential) || !string.IsNullOrWhiteSpace(blob.ClientId))
            yield return $"{section}:Credential and {section}:ClientId apply only with {section}:ServiceUri, which is not set.";
        if (!string.IsNullOrWhiteSpace(blob.Credential) && !AzureBlobCredential.Names.Contains(blob.Credential, StringComparer.OrdinalIgnoreCase))
            yield return $"{section}:Credential '{blob.Credential}' is not one of {string.Join(", ", AzureBlobCredential.Names)}.";
        if (!string.IsNullOrWhiteSpace(blob.ClientId) && !Guid.TryParse(blob.ClientId, out _))
            yield return $"{section}:ClientId '{blob.ClientId}' is not a client id (a GUID).";
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerName();
}
