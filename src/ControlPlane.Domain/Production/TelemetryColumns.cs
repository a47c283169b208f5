namespace ControlPlane.Domain.Production;

/// <summary>
/// The column names of telemetry Parquet files: the contract between ingest (writer), compaction, the windows job
/// (DuckDB reader) and outside readers. Feature values are columns named <see cref="FeaturePrefix"/> + the feature's
/// name: DOUBLE for numerical features, VARCHAR for the others (categories, booleans as "true"/"false", text).
/// A null feature value is a missing value (counted in the missing rate); NaN and infinities are refused on ingest.
/// Readers deduplicate: of predictions with the same id and variant the first received wins (a shadow logs its
/// primary's id: both are kept, and one actual joins both); of actuals the last received wins
/// (a correction replaces the earlier value; a repeat changes nothing).
/// </summary>
public static class TelemetryColumns
{
    // Predictions
    public const string PredictionId = "prediction_id";     // VARCHAR, required, unique per model (first received wins)
    public const string Timestamp = "ts";                    // TIMESTAMP (UTC), required: when the model predicted
    public const string ReceivedAt = "received_at";          // TIMESTAMP (UTC), required: when ControlPlane acknowledged it
    public const string Version = "version";                 // INT32, required: the version number that served it (an alias is resolved on ingest)
    public const string Alias = "alias";                     // VARCHAR, nullable: the alias the client named instead of a number
    public const string Variant = "variant";                 // VARCHAR, required: primary | shadow | canary
    public const string Label = "label";                     // VARCHAR, nullable: the predicted class
    public const string Score = "score";                     // DOUBLE, nullable: binary classifiers' probability of the positive class
    public const string Probabilities = "probabilities";     // VARCHAR, nullable: JSON object class -> probability (multiclass)
    public const string Value = "value";                     // DOUBLE, nullable: regression output
    public const string LatencyMs = "latency_ms";            // DOUBLE, nullable
    public const string Error = "error";                     // VARCHAR, nullable: the serving error, if the prediction failed
    public const string Tags = "tags";                       // VARCHAR, nullable: JSON object of string tags
    public const string FeaturePrefix = "f_";

    // Actuals (also PredictionId, Timestamp, ReceivedAt)
    public const string Actual = "actual";                   // VARCHAR, required: the true label, or the true value as invariant text
    public const string ActualValue = "actual_value";        // DOUBLE, nullable: the true value when it is a number

    public static string Feature(string name) => FeaturePrefix + name;

    /// <summary>
    /// Whether an actual is the positive class of a binary classifier (whose <see cref="Score"/> is the positive
    /// class's probability): "1", "true", "yes" or "positive", case-insensitively. Everything else is negative.
    /// </summary>
    public static bool IsPositive(string actual) =>
        actual.Trim() is var a && (a == "1" || a.Equals("true", StringComparison.OrdinalIgnoreCase)
            || a.Equals("yes", StringComparison.OrdinalIgnoreCase) || a.Equals("positive", StringComparison.OrdinalIgnoreCase));
}
