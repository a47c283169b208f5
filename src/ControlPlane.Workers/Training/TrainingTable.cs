using System.Globalization;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Training;

namespace ControlPlane.Workers.Training;

/// <summary>
/// A dataset held in memory column by column for training (ML.NET trainers pass over the data several times):
/// numerical features as floats (NaN = missing), categorical and text features as strings ("" = missing), and the
/// label typed for the task. Rows without a label are left out and counted. Filled from the shared reader's batches.
/// </summary>
internal sealed class TrainingTable
{
    private TrainingTable(TrainingDefinition definition, List<float>[] numbers, List<string>[] texts, int[] slots, LabelColumn label, long skipped)
    {
        Definition = definition;
        Numbers = numbers;
        Texts = texts;
        Slots = slots;
        Label = label;
        SkippedRows = skipped;
    }

    public TrainingDefinition Definition { get; }
    public int RowCount => Label.Count;
    public long SkippedRows { get; }
    public LabelColumn Label { get; }

    /// <summary>Per feature (in <see cref="TrainingDefinition.Features"/> order): the index into <see cref="Numbers"/> or <see cref="Texts"/>.</summary>
    public int[] Slots { get; }
    public List<float>[] Numbers { get; }
    public List<string>[] Texts { get; }

    public static async Task<TrainingTable> LoadAsync(TrainingInput input, IProgress<double>? progress, CancellationToken ct)
    {
        var definition = input.Definition;
        using var reader = await TabularReader.OpenAsync(input.DataPath, input.Format, ReadLimits.Accepted, ct);
        var ordinals = reader.ColumnNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.OrdinalIgnoreCase);
        int Ordinal(string name) => ordinals.TryGetValue(name, out var o) ? o
            : throw new TrainingInputException($"The data file has no column '{name}' (its columns: {string.Join(", ", reader.ColumnNames.Take(20))}).");

        var requests = new List<ColumnRequest>();
        var slots = new int[definition.Features.Count];
        var (numbers, texts) = (new List<List<float>>(), new List<List<string>>());
        foreach (var (feature, i) in definition.Features.Select((f, i) => (f, i)))
        {
            var numeric = feature.Treatment == FeatureTreatment.Numerical;
            requests.Add(new ColumnRequest(Ordinal(feature.Name), numeric ? ColumnReadAs.Number : ColumnReadAs.Text));
            slots[i] = numeric ? numbers.Count : texts.Count;
            if (numeric)
                numbers.Add([]);
            else
                texts.Add([]);
        }
        var labelIsText = definition.Task == TrainingTask.Multiclass;
        requests.Add(new ColumnRequest(Ordinal(definition.LabelColumn), labelIsText ? ColumnReadAs.Text : ColumnReadAs.Number));
        var label = new LabelColumn(definition.Task, definition.LabelColumn);
        var batch = new TabularBatch(requests, input.BatchSize);
        var labelIndex = requests.Count - 1;
        // Categories repeat: one string per distinct value instead of one per row.
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        long skipped = 0;
        while (await Read(reader, batch, ct))
        {
            ct.ThrowIfCancellationRequested();
            for (var row = 0; row < batch.Count; row++)
            {
                if (!label.TryAdd(batch, labelIndex, row))
                {
                    skipped++;
                    continue;
                }
                for (var f = 0; f < slots.Length; f++)
                {
                    if (requests[f].As == ColumnReadAs.Number)
                        numbers[slots[f]].Add((float)batch.Numbers(f)[row]);
                    else
                    {
                        var text = batch.Texts(f)[row] ?? "";
                        if (definition.Features[f].Treatment == FeatureTreatment.Categorical)
                            text = Intern(interned, text);
                        texts[slots[f]].Add(text);
                    }
                }
            }
            progress?.Report(reader.Progress);
        }
        if (label.Count == 0)
            throw new TrainingInputException($"No row of the data has a value in the label column '{definition.LabelColumn}'.");
        return new TrainingTable(definition, [.. numbers], [.. texts], slots, label, skipped);
    }

    private static string Intern(Dictionary<string, string> interned, string value)
    {
        if (interned.TryGetValue(value, out var same))
            return same;
        if (interned.Count < 100_000)
            interned[value] = value;
        return value;
    }

    private static async Task<bool> Read(ITabularReader reader, TabularBatch batch, CancellationToken ct)
    {
        try
        {
            return await reader.ReadAsync(batch, ct);
        }
        catch (DataFormatException e)
        {
            throw new TrainingInputException($"The data file cannot be read: {e.Message}", e);
        }
    }
}

/// <summary>The label, typed for the task: true/false (binary), a float (regression) or the class as text (multiclass).</summary>
internal sealed class LabelColumn(TrainingTask task, string name)
{
    public TrainingTask Task { get; } = task;
    public string Name { get; } = name;
    public List<bool> Flags { get; } = [];
    public List<float> Values { get; } = [];
    public List<string> Classes { get; } = [];
    public int Count => Task switch { TrainingTask.Binary => Flags.Count, TrainingTask.Regression => Values.Count, _ => Classes.Count };

    /// <summary>The row's class for stratified splits (binary and multiclass); regressions have one stratum.</summary>
    public string Stratum(int row) => Task switch { TrainingTask.Binary => Flags[row] ? "1" : "0", TrainingTask.Multiclass => Classes[row], _ => "" };

    /// <summary>Adds the row's label; false when it is missing (the row is left out).</summary>
    public bool TryAdd(Domain.Datasets.Reading.TabularBatch batch, int index, int row)
    {
        if (Task == TrainingTask.Multiclass)
        {
            if (batch.Texts(index)[row] is not { Length: > 0 } text)
                return false;
            Classes.Add(text);
            return true;
        }
        var value = batch.Numbers(index)[row];
        if (double.IsNaN(value))
            return false;
        if (Task == TrainingTask.Regression)
        {
            Values.Add((float)value);
            return true;
        }
        if (value is not (0 or 1))
            throw new TrainingInputException(
                $"The label '{Name}' is {value.ToString(CultureInfo.InvariantCulture)} at data row {batch.FirstRow + row + 1}; a binary label is true/false or 0/1.");
        Flags.Add(value == 1);
        return true;
    }
}
