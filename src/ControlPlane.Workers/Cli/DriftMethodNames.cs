using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Cli;

/// <summary>The short method names of the <c>drift</c> command and its JSON.</summary>
internal static class DriftMethodNames
{
    private static readonly (string Name, DriftMethod Method)[] All =
    [
        ("ks", DriftMethod.KolmogorovSmirnov),
        ("wasserstein", DriftMethod.Wasserstein),
        ("psi", DriftMethod.Psi),
        ("jensenshannon", DriftMethod.JensenShannon),
        ("chisquare", DriftMethod.ChiSquare),
    ];

    public static string Of(DriftMethod method) => All.Single(m => m.Method == method).Name;

    public static DriftMethod Parse(string name)
    {
        foreach (var (known, method) in All)
            if (known.Equals(name, StringComparison.OrdinalIgnoreCase))
                return method;
        throw new CliInputException($"unknown method '{name}' (use {string.Join(", ", All.Select(m => m.Name))})");
    }
}
