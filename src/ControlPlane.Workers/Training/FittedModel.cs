namespace ControlPlane.Workers.Training;

/// <summary>A fit's ML.NET zip on disk (in a folder the caller deletes) and its figures.</summary>
public sealed record FittedModel(string ZipPath, FitResult Figures)
{
    public TimeSpan Training => TimeSpan.FromMilliseconds(Figures.TrainingMs);
}
