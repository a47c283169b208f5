using ControlPlane.Web.Components.Shared;
using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation.Importance;

namespace ControlPlane.Web.Components.Pages.Evaluations;

/// <summary>How evaluation figures read in lists and cards.</summary>
public static class EvaluationFormat
{
    /// <summary>The one figure a list shows per task.</summary>
    public static string Headline(EvaluationView run) => run.Metrics is not { } m ? "" : run.Task switch
    {
        EvaluationTask.Binary when m.TryGetValue("rocAuc", out var auc) => $"ROC AUC {Figures.Format(auc)}",
        EvaluationTask.Multiclass when m.TryGetValue("macroF1", out var f1) => $"macro F1 {Figures.Format(f1)}",
        EvaluationTask.Regression when m.TryGetValue("rmse", out var rmse) => $"RMSE {Figures.Format(rmse)}",
        _ when m.TryGetValue("accuracy", out var acc) => $"accuracy {Figures.Format(acc)}",
        _ => "",
    };

    /// <summary>The permutation importance stored in a run's details, if it was measured.</summary>
    public static ImportanceReport? Importance(EvaluationView run) =>
        run.Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty("importance", out var importance)
            && importance.ValueKind == JsonValueKind.Object
            ? importance.Deserialize<ImportanceReport>(Workers.Evaluation.EvaluationDetails.Json) : null;
}
