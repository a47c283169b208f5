using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Reads the dataset's label column: for classification each value is matched to a class index (see
/// <see cref="ClassLabels"/>), for regression it is the number itself. A missing label, or one that is not a class of
/// the model, stops the run with the column and the 1-based data row named: an evaluation that silently dropped or
/// guessed rows would report metrics on data other than what the user chose.
/// </summary>
internal sealed class TrueLabels
{
    private readonly string _column;
    private readonly int _request;
    private readonly ColumnReadAs _readAs;
    private readonly ClassLabels? _classes;

    private TrueLabels(string column, int request, ColumnReadAs readAs, ClassLabels? classes) =>
        (_column, _request, _readAs, _classes) = (column, request, readAs, classes);

    public static TrueLabels Create(EvaluationInput input, PredictionKind kind, ClassLabels? classes, BatchLayout layout)
    {
        var column = input.Schema.FirstOrDefault(c => string.Equals(c.Name, input.LabelColumn, StringComparison.OrdinalIgnoreCase))
            ?? throw new EvaluationInputException($"The label column '{input.LabelColumn}' is not in the dataset's schema.");
        var numeric = column.Type is ColumnType.Numerical or ColumnType.Boolean;
        if (kind == PredictionKind.Regression && !numeric)
            throw new EvaluationInputException($"The label column '{column.Name}' is {column.Type}; a regression model is scored against numbers.");
        var readAs = numeric ? ColumnReadAs.Number : ColumnReadAs.Text;
        return new TrueLabels(column.Name, layout.Request(column.Name, readAs), readAs, classes);
    }

    public void Fill(TabularBatch batch, int[] classes, double[] values)
    {
        if (_classes is null)
            FillValues(batch, values);
        else if (_readAs == ColumnReadAs.Number)
            FillClassesFromNumbers(batch, classes, _classes);
        else
            FillClassesFromTexts(batch, classes, _classes);
    }

    private void FillValues(TabularBatch batch, double[] target)
    {
        var values = batch.Numbers(_request);
        for (var i = 0; i < batch.Count; i++)
        {
            if (double.IsNaN(values[i]))
                throw Missing(batch, i);
            target[i] = values[i];
        }
    }

    private void FillClassesFromNumbers(TabularBatch batch, int[] target, ClassLabels classes)
    {
        var values = batch.Numbers(_request);
        for (var i = 0; i < batch.Count; i++)
        {
            if (double.IsNaN(values[i]))
                throw Missing(batch, i);
            if (!classes.TryMatch(values[i], out target[i]))
                throw Unknown(values[i].ToString(CultureInfo.InvariantCulture), batch, i);
        }
    }

    private void FillClassesFromTexts(TabularBatch batch, int[] target, ClassLabels classes)
    {
        var texts = batch.Texts(_request);
        for (var i = 0; i < batch.Count; i++)
        {
            if (texts[i] is not { } text)
                throw Missing(batch, i);
            if (!classes.TryMatch(text, out target[i]))
                throw Unknown(text, batch, i);
        }
    }

    private EvaluationInputException Missing(TabularBatch batch, int i) =>
        new($"The label column '{_column}' has no usable value at data row {batch.FirstRow + i + 1} (empty or not a number); every evaluated row needs a label.");

    private EvaluationInputException Unknown(string value, TabularBatch batch, int i) =>
        new($"The label '{value}' at data row {batch.FirstRow + i + 1} (column '{_column}') is not one of the model's classes ({_classes}).");
}
