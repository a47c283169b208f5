namespace ControlPlane.Domain.Dashboard;

/// <summary>Audit actions as short phrases for the activity feed ("dana registered a model version").</summary>
internal static class ActivityText
{
    /// <summary>The entity types everyone sees in the feed: shared work, not accounts, tokens or sign-ins.</summary>
    public static readonly string[] SharedEntityTypes = ["model", "modelVersion", "modelAlias", "dataset", "datasetVersion", "evaluationRun", "driftMonitor", "driftRun"];

    private static readonly Dictionary<string, string> Phrases = new(StringComparer.Ordinal)
    {
        ["model.created"] = "created the model",
        ["model.updated"] = "edited the model",
        ["modelVersion.registered"] = "registered",
        ["modelVersion.stage_changed"] = "changed the stage of",
        ["modelAlias.set"] = "moved an alias of",
        ["modelAlias.deleted"] = "removed an alias of",
        ["dataset.created"] = "created the dataset",
        ["dataset.updated"] = "edited the dataset",
        ["datasetVersion.added"] = "added",
        ["datasetVersion.schema_changed"] = "changed the schema of",
        ["datasetVersion.profiled"] = "profiled",
        ["datasetVersion.profile_failed"] = "could not profile",
        ["evaluation.requested"] = "requested an evaluation of",
        ["evaluation.succeeded"] = "finished evaluating",
        ["evaluation.failed"] = "failed evaluating",
        ["driftMonitor.created"] = "created the drift monitor",
        ["driftMonitor.updated"] = "edited the drift monitor",
        ["driftRun.requested"] = "ran the drift monitor",
        ["driftRun.succeeded"] = "finished a drift run of",
        ["driftRun.failed"] = "failed a drift run of",
    };

    // What a background job did, named by what ran: its actor ("job:8") means nothing to a reader.
    private static readonly Dictionary<string, string> JobPhrases = new(StringComparer.Ordinal)
    {
        ["driftRun.succeeded"] = "Drift check {0} finished",
        ["driftRun.failed"] = "Drift check {0} failed",
        ["driftRun.requested"] = "Scheduled drift check {0} started",
        ["evaluation.succeeded"] = "Evaluation of {0} finished",
        ["evaluation.failed"] = "Evaluation of {0} failed",
        ["datasetVersion.profiled"] = "Profiling of {0} finished",
        ["datasetVersion.profile_failed"] = "Profiling of {0} failed",
        ["modelVersion.registered"] = "Training registered {0}",
    };

    public static string Describe(string actor, string action, string? subject)
    {
        var machine = Audit.AuditOrigin.IsMachine(actor);
        if (machine && subject is not null && JobPhrases.TryGetValue(action, out var job))
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, job, subject);
        var who = machine ? "A background job" : actor;
        return $"{who} {Phrases.GetValueOrDefault(action) ?? action.Replace('.', ' ').Replace('_', ' ')}{(subject is null ? "" : " " + subject)}";
    }
}
