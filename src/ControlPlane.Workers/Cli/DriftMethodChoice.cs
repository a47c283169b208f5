using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// Turns <c>--methods</c> into per-column settings: on each column every listed method that fits its kind is computed
/// and the first of them decides. A column no listed method fits, or a listed method that fits no column, is refused:
/// dropping either silently would report less than was asked for.
/// </summary>
internal static class DriftMethodChoice
{
    public static DriftOptions Options(IReadOnlyList<DriftMethod>? methods, IReadOnlyList<DriftColumnInput> columns)
    {
        if (methods is null)
            return DriftOptions.Default;
        var settings = new Dictionary<string, ColumnDriftSettings>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            List<DriftMethod> fitting = [.. methods.Where(m => Fits(m, column.Kind))];
            if (fitting.Count == 0)
                throw new CliInputException(
                    $"no listed method fits categorical column '{column.Name}' (ks and wasserstein need numbers): add psi, jensenshannon or chisquare, or leave it out with --columns");
            settings[column.Name] = new ColumnDriftSettings(fitting[0], AlsoReport: fitting[1..]);
        }
        foreach (var method in methods)
            if (!columns.Any(c => Fits(method, c.Kind)))
                throw new CliInputException($"method '{DriftMethodNames.Of(method)}' fits none of the compared columns (it needs numerical columns)");
        return new DriftOptions { Columns = settings };
    }

    private static bool Fits(DriftMethod method, DriftColumnKind kind) =>
        kind == DriftColumnKind.Numerical || !DriftMethods.NeedsNumbers(method);
}
