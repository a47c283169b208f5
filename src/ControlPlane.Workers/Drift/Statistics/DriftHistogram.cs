using System.Text.Json.Serialization;

namespace ControlPlane.Workers.Drift.Statistics;

public enum DriftHistogramKind
{
    /// <summary>One bin per category (or per distinct value of a numerical column compared as categories).</summary>
    Categories,

    /// <summary>The bins PSI and Jensen–Shannon use: open-ended, split at the reference deciles.</summary>
    Deciles,

    /// <summary>Equal-width bins over the pooled range, as numpy.histogram (last bin closed).</summary>
    EqualWidth,
}

/// <param name="Lower">Null for an open lower end.</param>
/// <param name="Upper">Null for an open upper end.</param>
/// <param name="OtherCategories">On the "other" bin only: how many categories it folds together (see <see cref="DriftOptions.MaxHistogramCategories"/>).</param>
public sealed record DriftHistogramBin(string Label, double? Lower, double? Upper, long Reference, long Current,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? OtherCategories = null);

/// <summary>Reference and current counts over the same bins, for overlaid charts.</summary>
public sealed record DriftHistogram(DriftHistogramKind Kind, IReadOnlyList<DriftHistogramBin> Bins);
