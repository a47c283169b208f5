namespace ControlPlane.TestSupport;

/// <summary>
/// The Azurite blob service that scripts/test.sh starts. Each test uses a container of its own.
/// A missing service is a failure, never a skip: the test command always provides one.
/// </summary>
public static class AzuriteServer
{
    public const string Variable = "CONTROLPLANE_TEST_AZURITE";

    /// <summary>Azurite's well-known development account; the key is public, but the code under test must treat it as a secret.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static string ConnectionString => TestScriptVariable.Require(Variable, "starts a throwaway Azurite blob service");

    public static string NewContainerName() => $"cp-{Guid.NewGuid():N}";

    /// <summary>The same account on a loopback port where nothing listens: a store that is down.</summary>
    public static string Unreachable() => For(FreePort.Next());

    public static string For(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
}
