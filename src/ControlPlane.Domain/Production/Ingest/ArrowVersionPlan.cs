using Apache.Arrow;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// How one version's features map onto the columns of one Arrow record batch, for the columnar path: every declared
/// feature has a column of a type its spec takes as it is (numbers for numerical features, strings for the others).
/// A version that does not fit is null: its records go the record way, which says what is wrong.
/// </summary>
internal sealed class ArrowVersionPlan
{
    private readonly IArrowArray?[] _arrays;

    private ArrowVersionPlan(IArrowArray?[] arrays) => _arrays = arrays;

    /// <summary>The column of a declared feature; null for a feature the version does not declare.</summary>
    public IArrowArray? ArrayOf(int name) => (uint)name < (uint)_arrays.Length ? _arrays[name] : null;

    public bool Declares(int name) => ArrayOf(name) is not null;

    public static ArrowVersionPlan? For(FeatureSchema? schema, ArrowPredictionColumns columns, FeatureNames names)
    {
        if (schema is null)
            return null;
        var byName = new Dictionary<int, IArrowArray>();
        foreach (var (name, array) in columns.Features)
            byName[name] = array;
        var arrays = new IArrowArray?[names.Count + schema.Features.Count];
        foreach (var spec in schema.Features)
        {
            var name = names.Intern(spec.Name);
            if (name >= arrays.Length)
                System.Array.Resize(ref arrays, name + 1);
            if (!byName.TryGetValue(name, out var array) || !Fits(spec, array))
                return null;
            arrays[name] = array;
        }
        return new ArrowVersionPlan(arrays);
    }

    private static bool Fits(FeatureSpec spec, IArrowArray array) => spec.IsNumeric
        ? array is DoubleArray or FloatArray or Int64Array or Int32Array
        : array is StringArray;
}
