namespace ControlPlane.Domain.Training;

public enum TrainingTask
{
    Binary,
    Multiclass,
    Regression,
}

/// <summary>How a feature column enters the model.</summary>
public enum FeatureTreatment
{
    /// <summary>Missing values replaced by the column mean, then scaled to [0, 1] (min–max).</summary>
    Numerical,
    /// <summary>One-hot; a category not seen in training maps to all zeros (the unseen bucket).</summary>
    Categorical,
    /// <summary>Word and character n-grams (ML.NET FeaturizeText); such pipelines have no ONNX export.</summary>
    Text,
}

public enum TrainingRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>Stopped by the fit's time limit.</summary>
    TimedOut,
}

public enum OnnxExportStatus
{
    NotAttempted,
    Exported,
    NotExportable,
}
