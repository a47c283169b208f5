using Azure.Core;
using Azure.Core.Pipeline;

namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// A test seam: what a test registers in place of the Entra ID credential the settings name and of the SDK's HTTP
/// transport (to trust a local emulator's self-signed certificate). Production registers none, and then the blob
/// stores use the credential from <see cref="AzureBlobArtifactOptions"/> over the SDK's own transport.
/// </summary>
public sealed record AzureBlobClientOverrides(TokenCredential? Credential = null, HttpPipelineTransport? Transport = null);
