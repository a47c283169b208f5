namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>
/// How permutation importance is computed: <see cref="Repeats"/> permutations drawn from <see cref="Seed"/> (so a
/// rerun reproduces the figures), on a seeded uniform sample of at most <see cref="MaxRows"/> rows.
/// </summary>
public sealed record ImportanceOptions(int Repeats, int Seed, int MaxRows = ImportanceOptions.DefaultMaxRows)
{
    public const int DefaultMaxRows = 10_000;
}
