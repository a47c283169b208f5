using System.Globalization;
using static ControlPlane.Workers.Isolation.ChildCommand;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// How <see cref="IsolatedScorer"/> and the <c>score</c> command talk: the <see cref="ScoreRequest"/> as a JSON file,
/// progress as <c>progress TAB fraction</c> lines on standard output, and the <see cref="EvaluationOutcome"/> as a
/// JSON file (exit codes: <see cref="Isolation.ChildCommand"/>).
/// </summary>
public static class ScoreProtocol
{
    public const string Verb = "score";

    public static string ProgressLine(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{ProgressPrefix}{fraction:R}");

    public static bool TryParseProgress(string line, out double fraction)
    {
        fraction = 0;
        return line.StartsWith(ProgressPrefix, StringComparison.Ordinal)
            && double.TryParse(line.AsSpan(ProgressPrefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out fraction);
    }
}
