using Azure.Core;
using Azure.Identity;

namespace ControlPlane.Domain.Artifacts;

/// <summary>The Microsoft Entra ID credential the settings name, for a store addressed by <see cref="AzureBlobArtifactOptions.ServiceUri"/>.</summary>
internal static class AzureBlobCredential
{
    public const string Default = "DefaultAzureCredential";
    public const string ManagedIdentity = "ManagedIdentity";

    public static readonly string[] Names = [Default, ManagedIdentity];

    public static TokenCredential From(AzureBlobArtifactOptions settings)
    {
        var clientId = string.IsNullOrWhiteSpace(settings.ClientId) ? null : settings.ClientId.Trim();
        if (string.Equals(settings.Credential, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
            return new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
        // A user-assigned identity's client id serves both the VM/App Service identity and AKS workload identity.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId, WorkloadIdentityClientId = clientId });
    }
}
