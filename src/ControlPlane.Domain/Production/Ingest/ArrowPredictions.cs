using Apache.Arrow;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Prediction records from an Arrow IPC stream whose columns are named as in <see cref="TelemetryColumns"/> (features
/// <c>f_{name}</c>; <c>version</c> or <c>alias</c> per row). A null in a feature column is a missing value; on a row
/// whose version lacks that feature it is ignored (a columnar body carries every column on every row).
/// </summary>
/// <remarks>
/// Records are checked column by column: whole-column scans mark every row that might be refused (a null id or time,
/// NaN or ∞ in a value buffer, a value in a column its version does not declare, …), and those rows alone are read
/// and judged one by one the record way, so that the reasons and row numbers are exactly what the record way gives.
/// The other rows are appended to the hour's columns a run at a time, straight from the Arrow buffers.
/// </remarks>
internal static class ArrowPredictions
{
    public static void Read(ReadOnlyMemory<byte> body, PredictionBatch batch)
    {
        var draft = new PredictionDraft();
        var rowsBefore = 0;
        foreach (var records in ArrowBodies.Batches(body))
        {
            var columns = new ArrowPredictionColumns(records, batch.Names);
            new Reader(columns, batch, draft, rowsBefore).Read();
            rowsBefore += records.Length;
        }
    }

    /// <summary>One record batch: the column checks, then the rows in order, by runs.</summary>
    private sealed class Reader(ArrowPredictionColumns columns, PredictionBatch batch, PredictionDraft draft, int rowsBefore)
    {
        private readonly int _length = columns.Length;
        private readonly bool[] _suspect = new bool[columns.Length];
        private readonly int[] _versions = new int[columns.Length];
        private readonly DateTime[] _times = new DateTime[columns.Length];
        private readonly PredictionVariant[] _variants = new PredictionVariant[columns.Length];
        private readonly ArrowVersionPlan?[] _plans = new ArrowVersionPlan?[columns.Length];
        private readonly Dictionary<int, ArrowVersionPlan?> _planOf = [];
        private readonly RepeatedTexts _variantTexts = new(), _aliasTexts = new(), _labelTexts = new();
        private string[] _ids = [];

        public void Read()
        {
            if (columns.RepeatsAFeature || columns.Ids is null || columns.Timestamps is null)
                _suspect.AsSpan().Fill(true);
            else
                Check();
            _ids = new string[_length];
            var row = 0;
            while (row < _length)
                row = _suspect[row] ? RecordWay(row) : Run(row);
        }

        /// <summary>Marks the rows that might be refused; the others pass every check of <see cref="PredictionBatch"/>.</summary>
        private void Check()
        {
            var ids = columns.Ids!;
            Dictionary<string, int>? aliases = null;
            for (var i = 0; i < _length; i++)
            {
                if (!ids.IsValid(i) || ids.GetValueLength(i) == 0)
                {
                    _suspect[i] = true;
                    continue;
                }
                if (columns.TimestampAt(i) is not { } ts || ts > batch.LatestAccepted)
                {
                    _suspect[i] = true;
                    continue;
                }
                _times[i] = ts;
                var version = columns.VersionAt(i);
                if (version is null && columns.AliasAt(i) is { } alias)
                {
                    aliases ??= [];
                    if (!aliases.TryGetValue(alias, out var resolved))
                        aliases[alias] = resolved = batch.Targets.Resolve(alias) ?? -1;
                    version = resolved;
                }
                if (version is not { } number || number < 0 || Plan(number) is not { } plan)
                {
                    _suspect[i] = true;
                    continue;
                }
                _versions[i] = number;
                _plans[i] = plan;
                if (columns.Variants is { } variants && variants.IsValid(i))
                {
                    if (ArrowPredictionColumns.ParseVariant(_variantTexts.At(variants, i)!) is { } variant)
                        _variants[i] = variant;
                    else
                        _suspect[i] = true;
                }
                else
                    _variants[i] = PredictionVariant.Primary;
                if (!IsMapOrNull(columns.ProbabilityMaps, i, numbers: true) || !IsMapOrNull(columns.TagMaps, i, numbers: false))
                    _suspect[i] = true;
            }
            ColumnScans.MarkNonFinite(columns.Scores, _suspect);
            ColumnScans.MarkNonFinite(columns.Values, _suspect);
            ColumnScans.MarkNonFinite(columns.Latencies, _suspect);
            ColumnScans.MarkNegative(columns.Latencies, _suspect);
            foreach (var (name, array) in columns.Features)
            {
                // NaN or ∞ is refused in a declared feature and a value in an undeclared one: either way the row is refused.
                ColumnScans.MarkNonFinite(array, _suspect);
                if (_planOf.Values.Any(p => p is not null && !p.Declares(name)))
                    ColumnScans.MarkPresent(array, _suspect, i => _plans[i] is { } p && !p.Declares(name));
            }
        }

        private ArrowVersionPlan? Plan(int version)
        {
            if (!_planOf.TryGetValue(version, out var plan))
                _planOf[version] = plan = ArrowVersionPlan.For(batch.Targets.Schema(version), columns, batch.Names);
            return plan;
        }

        private static bool IsMapOrNull(StringArray? maps, int row, bool numbers) =>
            maps is null || !maps.IsValid(row) || JsonRecords.IsMap(maps.GetString(row), numbers);

        private int RecordWay(int row)
        {
            draft.Reset(rowsBefore + row + 1);
            columns.Read(row, draft, batch.Names);
            batch.Add(draft);
            return row + 1;
        }

        /// <summary>Appends the unmarked rows from <paramref name="start"/> that share its version and hour; returns the next row.</summary>
        private int Run(int start)
        {
            var version = _versions[start];
            if (batch.Accepting(version) is null)
                return RecordWay(start);
            var hour = TelemetryPaths.HourOf(_times[start]);
            var end = start;
            for (; end < _length && !_suspect[end] && _versions[end] == version && _times[end] >= hour && _times[end] < hour.AddHours(1); end++)
            {
                var id = columns.Ids!.GetString(end);
                if (!batch.Admit(id, _variants[end]))
                {
                    _suspect[end] = true; // a repeated id: the record way refuses it and says why
                    break;
                }
                _ids[end] = id;
            }
            if (end > start)
                Append(start, end - start, _plans[start]!, hour);
            return end;
        }

        private void Append(int start, int count, ArrowVersionPlan plan, DateTime hour)
        {
            var (target, stored) = batch.Hour(hour);
            foreach (var (name, column) in stored)
            {
                var array = plan.ArrayOf(name); // null for the features of the batch's other versions
                if (column.Numeric)
                    AddNumbers(column.Numbers, array, start, count);
                else
                    AddTexts(column.Texts, array as StringArray, start, count, null);
            }
            target.Ids.AddRange(_ids.AsSpan(start, count));
            target.Timestamps.AddRange(_times.AsSpan(start, count));
            for (var i = start; i < start + count; i++)
            {
                target.Versions.Add(_versions[i]);
                target.Variants.Add(PredictionBatch.VariantName(_variants[i]));
            }
            AddTexts(target.Aliases, columns.Aliases, start, count, _aliasTexts);
            AddTexts(target.Labels, columns.Labels, start, count, _labelTexts);
            AddNumbers(target.Scores, columns.Scores, start, count);
            AddTexts(target.Probabilities, columns.ProbabilityMaps, start, count, null);
            AddNumbers(target.Values, columns.Values, start, count);
            AddNumbers(target.Latencies, columns.Latencies, start, count);
            AddTexts(target.Errors, columns.Errors, start, count, null);
            AddTexts(target.Tags, columns.TagMaps, start, count, null);
        }

        private static void AddNumbers(DoubleColumn column, IArrowArray? array, int start, int count)
        {
            if (array is null)
                column.AddNulls(count);
            else
                column.Add(array, start, count);
        }

        private static void AddTexts(List<string?> column, StringArray? array, int start, int count, RepeatedTexts? repeated)
        {
            for (var i = start; i < start + count; i++)
                column.Add(array is null ? null : repeated is null ? array.GetString(i) : repeated.At(array, i));
        }
    }
}
