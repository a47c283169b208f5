using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>
/// Reads one batch of an ML.NET model's predictions into a <see cref="PredictionBatch"/>, as the ONNX engine decodes an
/// export: a binary model's positive score is its Probability (else its raw Score) and its predicted class its
/// PredictedLabel; a multiclass Score vector is the class probabilities, the predicted class the most probable
/// (the first on a tie); a regression's Score is the value.
/// </summary>
internal sealed class MlNetScores(IDataView scored, MlNetOutputs outputs)
{
    private readonly DataViewSchema.Column _score = scored.Schema[MlNetOutputs.Score];
    private readonly DataViewSchema.Column? _probability = outputs.HasProbability ? scored.Schema[MlNetOutputs.Probability] : null;
    private readonly DataViewSchema.Column? _predicted = scored.Schema.GetColumnOrNull(MlNetOutputs.PredictedLabel);
    private VBuffer<float> _vector;

    public PredictionBatch CreateBatch(int capacity)
    {
        var probabilities = outputs.HasProbability || outputs.ScoreIsVector;
        return new(outputs.Kind, outputs.Classes, probabilities, scoresAreProbabilities: probabilities, capacity);
    }

    /// <summary>Scores the rows the source view holds now; <paramref name="batch"/> was started on the same rows.</summary>
    public void Read(PredictionBatch batch)
    {
        using var cursor = scored.GetRowCursor(new[] { _score, _probability, _predicted }.OfType<DataViewSchema.Column>());
        var rows = outputs.Kind == PredictionKind.Regression ? ReadValues(cursor, batch)
            : outputs.ScoreIsVector ? ReadVectors(cursor, batch)
            : ReadBinary(cursor, batch);
        if (rows != batch.Count)
            throw new EvaluationInputException($"The ML.NET model returned {rows} predictions for the {batch.Count} data rows from row {batch.FirstRow + 1}; evaluation needs one per row.");
    }

    private int ReadValues(DataViewRowCursor cursor, PredictionBatch batch)
    {
        var score = cursor.GetGetter<float>(_score);
        var values = batch.PredictedValueBuffer;
        var row = 0;
        for (; row < batch.Count && cursor.MoveNext(); row++)
            score(ref values[row]);
        return Count(cursor, row);
    }

    private int ReadBinary(DataViewRowCursor cursor, PredictionBatch batch)
    {
        var positive = cursor.GetGetter<float>(_probability ?? _score);
        var predicted = cursor.GetGetter<bool>(_predicted!.Value);
        var scores = batch.PositiveScoreBuffer;
        var probabilities = batch.ProbabilityBuffer;
        var classes = batch.PredictedClassBuffer;
        var label = false;
        var row = 0;
        for (; row < batch.Count && cursor.MoveNext(); row++)
        {
            positive(ref scores[row]);
            if (_probability is not null)
                (probabilities[2 * row], probabilities[2 * row + 1]) = (1 - scores[row], scores[row]);
            predicted(ref label);
            classes[row] = label ? 1 : 0;
        }
        return Count(cursor, row);
    }

    private int ReadVectors(DataViewRowCursor cursor, PredictionBatch batch)
    {
        var score = cursor.GetGetter<VBuffer<float>>(_score);
        var width = outputs.Classes!.Count;
        var probabilities = batch.ProbabilityBuffer;
        var positive = batch.PositiveScoreBuffer;
        var classes = batch.PredictedClassBuffer;
        var row = 0;
        for (; row < batch.Count && cursor.MoveNext(); row++)
        {
            score(ref _vector);
            var target = probabilities.Slice(row * width, width);
            _vector.CopyTo(target);
            var best = 0;
            for (var c = 1; c < width; c++)
                if (target[c] > target[best])
                    best = c;
            classes[row] = best;
            if (width == 2)
                positive[row] = target[ClassLabels.PositiveIndex];
        }
        return Count(cursor, row);
    }

    /// <summary>Rows scored, counting any beyond the batch (a pipeline that adds rows is refused, not truncated).</summary>
    private static int Count(DataViewRowCursor cursor, int row) => cursor.MoveNext() ? row + 1 : row;
}
