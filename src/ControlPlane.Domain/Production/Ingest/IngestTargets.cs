namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// What a batch's records may name: the model's version numbers with their feature schemas, and its aliases with the
/// version each points at now (an alias is resolved when the batch arrives).
/// </summary>
internal sealed class IngestTargets(string model, IReadOnlyDictionary<int, FeatureSchema> versions, IReadOnlyDictionary<string, int> aliases)
{
    public string Model { get; } = model;

    public FeatureSchema? Schema(int version) => versions.GetValueOrDefault(version);

    public int? Resolve(string alias) => aliases.TryGetValue(alias, out var number) ? number : null;
}
