using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Training;

/// <summary>What a spec asks for, before it is checked against a schema.</summary>
public sealed record TrainingDefinitionInput(
    TrainingTask Task, string? LabelColumn, IReadOnlyList<TrainingFeature>? Features, string? Trainer,
    IReadOnlyDictionary<string, double>? Hyperparameters, double ValidationFraction, int? CrossValidationFolds, int Seed);

/// <summary>
/// A checked definition: everything that determines the trained model apart from the data. Features are sorted by
/// name and every hyperparameter is present, so equal definitions serialize (and hash) equally.
/// </summary>
public sealed record TrainingDefinition(
    TrainingTask Task, string LabelColumn, IReadOnlyList<TrainingFeature> Features, string Trainer,
    IReadOnlyDictionary<string, double> Hyperparameters, double ValidationFraction, int? CrossValidationFolds, int Seed)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// SHA-256 (lowercase hex) of the canonical JSON of the definition and the data it names (a dataset and, when
    /// fixed, its version): camelCase properties in declaration order, hyperparameters in ordinal key order.
    /// </summary>
    public string Hash(string dataset, int? datasetVersion)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            definition = this with { Hyperparameters = new SortedDictionary<string, double>(Hyperparameters.ToDictionary(), StringComparer.Ordinal) },
            dataset = dataset.ToUpperInvariant(),
            datasetVersion,
        }, Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static TrainingDefinition From(TrainingSpec spec) => new(
        spec.Task, spec.LabelColumn, JsonSerializer.Deserialize<List<TrainingFeature>>(spec.Features, Json)!, spec.Trainer,
        JsonSerializer.Deserialize<SortedDictionary<string, double>>(spec.Hyperparameters, Json)!, spec.ValidationFraction,
        spec.CrossValidationFolds, spec.Seed);

    public TrainingDefinitionInput AsInput() => new(Task, LabelColumn, Features, Trainer, Hyperparameters, ValidationFraction == 0 ? 0.2 : ValidationFraction, CrossValidationFolds, Seed);
}
