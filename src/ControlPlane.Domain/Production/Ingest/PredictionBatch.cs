using System.Globalization;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Checks each prediction record of a batch against its version's feature schema and keeps the good ones, by hour, in
/// columns. A bad record is counted and described (the first few) and changes nothing else; a repeated predictionId in
/// the batch is refused after its first good occurrence.
/// </summary>
internal sealed class PredictionBatch(FeatureNames names, IngestTargets targets, DateTime nowUtc, int maxRecords, int rejectionsReported)
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromHours(1);

    // A shadow scores the same request as its primary and logs the same id: an id is unique per variant.
    private readonly HashSet<(string, PredictionVariant)> _ids = [];
    private readonly Dictionary<int, BoundVersion> _bound = [];
    private readonly Dictionary<int, bool> _numeric = [];
    private readonly List<int> _stored = [];
    private readonly List<string> _missing = [];

    public FeatureNames Names { get; } = names;
    public IngestTargets Targets { get; } = targets;
    public DateTime LatestAccepted { get; } = nowUtc + FutureTolerance;
    public Dictionary<DateTime, PredictionColumns> Hours { get; } = [];
    public List<IngestRejection> Rejections { get; } = [];
    public int Records { get; private set; }
    public int Accepted { get; private set; }
    public int Rejected { get; private set; }

    public void Add(PredictionDraft record)
    {
        if (++Records > maxRecords)
            throw new PayloadTooLargeException($"The batch has more than {maxRecords:N0} records, the limit per batch; split it.");
        var reason = Check(record, out var version, out var bound);
        if (reason is not null)
        {
            Reject(record.Row, record.PredictionId, reason);
            return;
        }
        Append(record, version, bound!);
        Accepted++;
    }

    /// <summary>
    /// The columnar path's view of a version: null when the version is unknown or its features conflict with another
    /// version's in this batch (its records then go the record way, which says why).
    /// </summary>
    public BoundVersion? Accepting(int version) => Bind(version) is { Conflict: null } bound ? bound : null;

    /// <summary>
    /// Counts one record that passed the columnar checks. False, with nothing counted, when its id repeats an earlier
    /// record of the batch: the record way then refuses it with the reason.
    /// </summary>
    public bool Admit(string predictionId, PredictionVariant variant)
    {
        if (Records + 1 > maxRecords)
            throw new PayloadTooLargeException($"The batch has more than {maxRecords:N0} records, the limit per batch; split it.");
        if (!_ids.Add((predictionId, variant)))
            return false;
        Records++;
        Accepted++;
        return true;
    }

    /// <summary>The columns of an hour, with the batch's stored features aligned (see <see cref="PredictionColumns.Aligned"/>).</summary>
    public (PredictionColumns Columns, (int Name, FeatureColumn Column)[] Features) Hour(DateTime hourUtc)
    {
        if (!Hours.TryGetValue(hourUtc, out var columns))
            Hours[hourUtc] = columns = new PredictionColumns(hourUtc);
        return (columns, columns.Aligned(_stored, _numeric));
    }

    public void Reject(int row, string? predictionId, string reason)
    {
        Rejected++;
        if (Rejections.Count < rejectionsReported)
            Rejections.Add(new IngestRejection(row, predictionId, reason));
    }

    private string? Check(PredictionDraft r, out int version, out BoundVersion? bound)
    {
        version = 0;
        bound = null;
        if (r.Problem is not null)
            return r.Problem;
        if (string.IsNullOrEmpty(r.PredictionId))
            return "predictionId is missing";
        if (r.Timestamp is not { } ts)
            return "timestamp is missing";
        if (ts > nowUtc + FutureTolerance)
            return $"timestamp {ts:yyyy-MM-ddTHH:mm:ssZ} is more than an hour ahead of the server's clock";
        if (r.Version is { } number)
            version = number;
        else if (r.Alias is { } alias)
            version = Targets.Resolve(alias) ?? -1;
        else
            return "version is missing";
        if (version < 0)
            return $"model '{Targets.Model}' has no alias '{r.Alias}'";
        bound = Bind(version);
        if (bound is null)
            return $"model '{Targets.Model}' has no version {version}";
        if (bound.Conflict is not null)
            return bound.Conflict;
        if (Features(r, bound) is { } featureProblem)
            return featureProblem;
        if ((NotFinite(r.Score, "outputs.score") ?? NotFinite(r.Value, "outputs.value") ?? NotFinite(r.LatencyMs, "latencyMs")) is { } notFinite)
            return notFinite;
        if (r.LatencyMs < 0)
            return "latencyMs is negative";
        if (!_ids.Add((r.PredictionId, r.Variant ?? PredictionVariant.Primary)))
            return $"predictionId '{r.PredictionId}' repeats an earlier {VariantName(r.Variant ?? PredictionVariant.Primary)} record of this batch";
        return null;
    }

    private static string? NotFinite(double? value, string field) =>
        value is { } v && !double.IsFinite(v) ? $"{field} is NaN or infinite" : null;

    private string? Features(PredictionDraft r, BoundVersion bound)
    {
        // A null for a feature the version lacks says nothing: a columnar body carries every column on every row.
        foreach (var name in r.Present)
        {
            if (!bound.Declares(name) && r.Feature(name).Kind != ValueKind.Null)
                return $"unknown feature '{Names[name]}' (version {bound.Number} has no such feature)";
        }
        _missing.Clear();
        for (var i = 0; i < bound.Specs.Count; i++)
        {
            var spec = bound.Specs[i];
            var value = r.Feature(bound.NameOf[i]);
            if (value.Kind == ValueKind.Absent)
                _missing.Add(spec.Name);
            else if (TypeProblem(spec, value) is { } problem)
                return problem;
        }
        if (_missing.Count > 0)
            return $"missing feature{(_missing.Count > 1 ? "s" : "")} {string.Join(", ", _missing.Take(5).Select(m => $"'{m}'"))}{(_missing.Count > 5 ? $" and {_missing.Count - 5} more" : "")}";
        return null;
    }

    private static string? TypeProblem(FeatureSpec spec, FeatureValue value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                return null;
            case ValueKind.Number when !double.IsFinite(value.Number):
                return $"feature '{spec.Name}' is NaN or infinite";
            case ValueKind.Number:
                return spec.Type is ColumnType.Numerical or ColumnType.Categorical or ColumnType.Text ? null
                    : $"feature '{spec.Name}' is {spec.Type}; got a number";
            case ValueKind.Text when spec.IsNumeric:
                return JsonRecords.IsNamedNonFinite(value.Text!) ? $"feature '{spec.Name}' is NaN or infinite"
                    : $"feature '{spec.Name}' is Numerical; got a string";
            case ValueKind.Text:
                return null;
            case ValueKind.Bool:
                return spec.Type is ColumnType.Boolean or ColumnType.Categorical or ColumnType.Text ? null
                    : $"feature '{spec.Name}' is {spec.Type}; got a boolean";
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.Kind, null);
        }
    }

    private void Append(PredictionDraft r, int version, BoundVersion bound)
    {
        var (columns, stored) = Hour(TelemetryPaths.HourOf(r.Timestamp!.Value));
        for (var k = 0; k < stored.Length; k++)
        {
            var (name, column) = stored[k];
            var value = bound.Declares(name) ? r.Feature(name) : default;
            if (column.Numeric)
                column.Numbers.Add(value.Kind == ValueKind.Number ? value.Number : null);
            else
                column.Texts.Add(value.Kind switch
                {
                    ValueKind.Text => value.Text,
                    ValueKind.Bool => value.Bool ? "true" : "false",
                    ValueKind.Number => value.Number.ToString("R", CultureInfo.InvariantCulture),
                    _ => null,
                });
        }
        columns.Ids.Add(r.PredictionId!);
        columns.Timestamps.Add(r.Timestamp!.Value);
        columns.Versions.Add(version);
        columns.Aliases.Add(r.Alias); // the alias the client followed, also beside the number that served
        columns.Variants.Add(VariantName(r.Variant ?? PredictionVariant.Primary));
        columns.Labels.Add(r.Label);
        columns.Scores.Add(r.Score);
        columns.Probabilities.Add(r.Probabilities);
        columns.Values.Add(r.Value);
        columns.Latencies.Add(r.LatencyMs);
        columns.Errors.Add(r.Error);
        columns.Tags.Add(r.Tags);
    }

    public static string VariantName(PredictionVariant variant) => variant switch
    {
        PredictionVariant.Primary => "primary",
        PredictionVariant.Shadow => "shadow",
        PredictionVariant.Canary => "canary",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>A version's schema tied to this batch's names; the first version to declare a feature fixes its column type.</summary>
    private BoundVersion? Bind(int version)
    {
        if (_bound.TryGetValue(version, out var bound))
            return bound;
        if (Targets.Schema(version) is not { } schema)
            return null;
        var nameOf = new int[schema.Features.Count];
        string? conflict = null;
        for (var i = 0; i < nameOf.Length; i++)
        {
            var spec = schema.Features[i];
            nameOf[i] = Names.Intern(spec.Name);
            if (_numeric.TryGetValue(nameOf[i], out var numeric))
            {
                if (numeric != spec.IsNumeric)
                    conflict ??= $"feature '{spec.Name}' is {(spec.IsNumeric ? "numerical" : "not numerical")} in version {version} but not in another version of this batch; send them in separate batches";
            }
            else
            {
                _numeric[nameOf[i]] = spec.IsNumeric;
                _stored.Add(nameOf[i]);
            }
        }
        return _bound[version] = new BoundVersion(version, schema.Features, nameOf, conflict);
    }

    internal sealed class BoundVersion(int number, IReadOnlyList<FeatureSpec> specs, int[] nameOf, string? conflict)
    {
        // By name index: looked up for every feature of every record, so an array rather than a set.
        private readonly bool[] _declared = Declared(nameOf);
        public int Number { get; } = number;
        public IReadOnlyList<FeatureSpec> Specs { get; } = specs;
        public int[] NameOf { get; } = nameOf;
        public string? Conflict { get; } = conflict;
        public bool Declares(int name) => (uint)name < (uint)_declared.Length && _declared[name];

        private static bool[] Declared(int[] nameOf)
        {
            var declared = new bool[nameOf.Length == 0 ? 0 : nameOf.Max() + 1];
            foreach (var name in nameOf)
                declared[name] = true;
            return declared;
        }
    }
}
