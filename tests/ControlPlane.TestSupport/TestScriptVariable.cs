namespace ControlPlane.TestSupport;

/// <summary>What scripts/test.sh provides through the environment; missing is a failure with a message saying how to get it, never a skip.</summary>
public static class TestScriptVariable
{
    /// <param name="provides">What the script does for it, as the end of "scripts/test.sh, which …".</param>
    public static string Require(string variable, string provides) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set. Run the tests through scripts/test.sh, which {provides}.");
}
