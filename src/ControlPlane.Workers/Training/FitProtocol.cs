using System.Globalization;
using static ControlPlane.Workers.Isolation.ChildCommand;

namespace ControlPlane.Workers.Training;

/// <summary>What a fit child reports besides its model file: the figures the run records.</summary>
public sealed record FitResult(
    IReadOnlyDictionary<string, double> Metrics, long TrainingRows, long ValidationRows, long SkippedRows, double LoadingMs, double TrainingMs);

/// <summary>
/// How <see cref="IsolatedTrainer"/> and the <c>fit</c> command talk: the request (a <see cref="TrainingInput"/>) as a
/// JSON file, progress as <c>progress TAB phase TAB fraction</c> lines on standard output, and the model and a
/// <see cref="FitResult"/> as files in the output folder (exit codes: <see cref="Isolation.ChildCommand"/>).
/// </summary>
public static class FitProtocol
{
    public const string Verb = "fit";
    public const string ModelFile = "model.zip";
    public const string ResultFile = "result.json";

    public static string ProgressLine(TrainingProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{ProgressPrefix}{progress.Phase}\t{progress.Fraction:R}");

    public static bool TryParseProgress(string line, out TrainingProgress progress)
    {
        progress = default;
        if (!line.StartsWith(ProgressPrefix, StringComparison.Ordinal) || line.Split('\t') is not [_, var phase, var fraction]
            || !double.TryParse(fraction, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return false;
        progress = new TrainingProgress(phase, value);
        return true;
    }
}
