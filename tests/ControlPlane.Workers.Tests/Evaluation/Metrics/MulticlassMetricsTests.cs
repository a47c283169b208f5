using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>
/// Against scikit-learn 1.2.1 on the float32 probabilities widened to float64, e.g.
/// <c>P = np.asarray(P, dtype=np.float32).astype(np.float64); pred = P.argmax(axis=1);
/// f1_score(y, pred, average="macro", zero_division=0); log_loss(y, P, labels=range(C))</c>.
/// </summary>
public sealed class MulticlassMetricsTests
{
    private static readonly string[] Three = ["cat", "dog", "bird"];

    // Class "dog" (1) is never predicted; class "bird" (2) never appears in the labels. Row 1 and row 7 tie on argmax
    // (0 wins); row 4 has zeros to clip; row 3 sums to 0.9.
    private static readonly int[] Labels = [0, 1, 0, 1, 0, 0, 1, 1, 0];
    private static readonly float[] Probabilities =
    [
        0.7f, 0.2f, 0.1f,
        0.4f, 0.4f, 0.2f,
        0.2f, 0.1f, 0.7f,
        0.5f, 0.3f, 0.1f,
        0.0f, 0.0f, 1.0f,
        0.6f, 0.3f, 0.1f,
        0.3f, 0.3f, 0.4f,
        0.45f, 0.45f, 0.1f,
        1.0f, 0.0f, 0.0f,
    ];

    [Fact]
    public void A_class_never_predicted_and_a_class_absent_from_labels_match_scikit_learn()
    {
        var report = MulticlassMetrics.Compute(Labels, Probabilities, Three);

        // confusion_matrix(y, pred, labels=[0, 1, 2]) with pred = [0,0,2,0,2,0,2,0,0]
        Assert.Equal([[3L, 0L, 2L], [3L, 0L, 1L], [0L, 0L, 0L]], report.ConfusionMatrix);
        Near.Equal(0.3333333333333333, report.Accuracy);
        Near.Equal(0.1818181818181818, report.MacroF1);
        Near.Equal(0.303030303030303, report.WeightedF1);
        Near.Equal(4.726441704939536, report.LogLoss);
        // precision_recall_fscore_support(y, pred, labels=[0, 1, 2], zero_division=0)
        Assert.Equal(["cat", "dog", "bird"], report.Classes.Select(c => c.Name));
        Near.Equal([0.5, 0.0, 0.0], report.Classes.Select(c => c.Precision).ToList());
        Near.Equal([0.6, 0.0, 0.0], report.Classes.Select(c => c.Recall).ToList());
        Near.Equal([0.5454545454545454, 0.0, 0.0], report.Classes.Select(c => c.F1).ToList());
        Assert.Equal([5L, 4L, 0L], report.Classes.Select(c => c.Support));
        Assert.Equal([6L, 0L, 3L], report.Classes.Select(c => c.Predicted));
    }

    [Fact]
    public void A_class_neither_seen_nor_predicted_is_listed_but_left_out_of_the_macro_average()
    {
        // f1_score(y, pred, average="macro") averages labels present in y or pred: 0.5 (with labels=range(4) it would be 0.375).
        int[] labels = [0, 1, 2, 2, 1, 0];
        float[] probabilities =
        [
            0.8f, 0.1f, 0.05f, 0.05f,
            0.1f, 0.7f, 0.1f, 0.1f,
            0.2f, 0.2f, 0.5f, 0.1f,
            0.3f, 0.4f, 0.2f, 0.1f,
            0.25f, 0.25f, 0.25f, 0.25f,
            0.1f, 0.1f, 0.7f, 0.1f,
        ];

        var report = MulticlassMetrics.Compute(labels, probabilities, ["a", "b", "c", "d"]);

        Near.Equal(0.5, report.Accuracy);
        Near.Equal(0.5, report.MacroF1);
        Near.Equal(0.5, report.WeightedF1);
        Near.Equal(1.095213840748277, report.LogLoss);
        Assert.Equal(new ClassMetrics("d", 0, 0, 0, 0, 0), report.Classes[3]);
        Assert.Equal([[1L, 0L, 1L, 0L], [1L, 1L, 0L, 0L], [0L, 1L, 1L, 0L], [0L, 0L, 0L, 0L]], report.ConfusionMatrix);
    }

    [Fact]
    public void A_thousand_unnormalised_double_rows_match_scikit_learn()
    {
        var (labels, probabilities) = FormulaRows.Multiclass();

        var report = MulticlassMetrics.Compute(labels, probabilities, ["a", "b", "c", "d", "e"]);

        // accuracy_score, f1_score(average="macro"/"weighted"), log_loss(y, P) (rows divided by their sums)
        Near.Equal(0.2, report.Accuracy);
        Near.Equal(0.18767100829420297, report.MacroF1);
        Near.Equal(0.18767100829420297, report.WeightedF1);
        Near.Equal(1.8381791636188192, report.LogLoss);
        Assert.Equal([43L, 44, 52, 52, 9], report.ConfusionMatrix[0]);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Contains("Row 1 has class index 3", Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute([0, 3], new float[6], Three)).Message);
        Assert.Contains("need 6", Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute([0, 1], new float[5], Three)).Message);
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute([0], [float.NaN, 0.5f, 0.5f], Three));
        Assert.Throws<ArgumentException>(() => new MulticlassAccumulator(["only"]));
    }

    [Fact]
    public void No_rows_give_no_metrics_but_list_the_classes()
    {
        var report = MulticlassMetrics.Compute([], Array.Empty<float>(), Three);

        Assert.Null(report.Accuracy);
        Assert.Null(report.LogLoss);
        Assert.Equal(3, report.Classes.Count);
        Assert.Empty(report.Flatten());
    }
}
