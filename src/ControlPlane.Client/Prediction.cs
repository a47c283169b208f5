namespace ControlPlane.Client;

/// <summary>What <see cref="ModelHandle.Predict(float[], string?, IReadOnlyDictionary{string, string}?)"/> answers: the outputs and the version that computed them.</summary>
public sealed class Prediction(string predictionId, int version, PredictionVariant variant, ModelOutput[] outputs, double latencyMs)
{
    /// <summary>Send it back with the actual outcome later (POST …/actuals); rows of a batch are "{id}:{row}".</summary>
    public string PredictionId { get; } = predictionId;
    public int Version { get; } = version;
    public PredictionVariant Variant { get; } = variant;
    public IReadOnlyList<ModelOutput> Outputs { get; } = outputs;
    public double LatencyMs { get; } = latencyMs;

    public ModelOutput this[string name] =>
        Array.Find(outputs, o => o.Name == name) ?? throw new KeyNotFoundException($"The model has no tensor output '{name}'.");
}
