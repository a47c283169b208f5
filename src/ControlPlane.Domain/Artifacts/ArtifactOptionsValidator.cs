using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Checked on start, so a typo in the provider or a missing connection string stops the process with a message that names the setting.</summary>
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
        if (string.IsNullOrWhiteSpace(blob.ConnectionString))
            yield return $"{section}:ConnectionString is required when {ArtifactOptions.Section}:Provider is AzureBlob.";
        else if (!AzureBlobArtifactStore.IsConnectionString(blob.ConnectionString))
            yield return $"{section}:ConnectionString is not an Azure Storage connection string (its value is a secret and is not shown).";
        if (!ContainerName().IsMatch(blob.Container ?? ""))
            yield return $"{section}:Container '{blob.Container}' is not a container name (3-63 lowercase letters, digits and single hyphens, starting with a letter or digit).";
        if (string.IsNullOrWhiteSpace(blob.CacheDirectory))
            yield return $"{section}:CacheDirectory must not be empty.";
        if (blob.MaxRetries is < 0 or > 10)
            yield return $"{section}:MaxRetries must be 0-10.";
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerName();
}
