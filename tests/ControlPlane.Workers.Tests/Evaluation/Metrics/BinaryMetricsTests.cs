using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>
/// Small cases computed by hand and checked against scikit-learn 1.2.1 offline, e.g.
/// <c>y = [0,0,1,1,0,1,1,0]; p = [0.1,0.4,0.35,0.8,0.65,0.9,0.5,0.2]; roc_auc_score(y, p)</c>.
/// </summary>
public sealed class BinaryMetricsTests
{
    private static readonly byte[] Labels = [0, 0, 1, 1, 0, 1, 1, 0];
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8, 0.65, 0.9, 0.5, 0.2];

    [Fact]
    public void Eight_rows_give_the_hand_computed_value_of_every_metric()
    {
        var report = BinaryMetrics.Compute(Labels, Scores);

        // Predicted positive at score >= 0.5, so the row scored exactly 0.5 counts: TN 3, FP 1, FN 1, TP 3.
        Assert.Equal([[3L, 1L], [1L, 3L]], report.ConfusionMatrix);
        Assert.Equal((8L, 4L, 0.5), (report.Count, report.Positives, report.Threshold));
        Near.Equal(6.0 / 8, report.Accuracy);
        Near.Equal(3.0 / 4, report.Precision);
        Near.Equal(3.0 / 4, report.Recall);
        Near.Equal(0.75, report.F1);
        // 13 of the 16 (positive, negative) pairs are ranked the right way round.
        Near.Equal(13.0 / 16, report.RocAuc);
        // Precision at each positive, best score first: 1/1, 2/2, 3/4, 4/6; sklearn: 0.8541666666666666.
        Near.Equal((1 + 1 + 3.0 / 4 + 4.0 / 6) / 4, report.PrAuc);
        // sklearn log_loss: 0.49507814840842046
        Near.Equal(-(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.35) + Math.Log(0.8) + Math.Log(0.35) + Math.Log(0.9) + Math.Log(0.5) + Math.Log(0.8)) / 8, report.LogLoss);
        Near.Equal(0.49507814840842046, report.LogLoss);
        // (0.01 + 0.16 + 0.4225 + 0.04 + 0.4225 + 0.04 + 0.01 + 0.25) / 8; sklearn brier_score_loss: 0.16937500000000003
        Near.Equal(0.169375, report.Brier, 1e-15);
    }

    [Fact]
    public void Eight_rows_give_scikit_learns_curves_and_calibration_bins()
    {
        var report = BinaryMetrics.Compute(Labels, Scores);

        // roc_curve(y, p): 8 points, the first at threshold max + 1 (scikit-learn 1.2).
        var roc = report.Roc!;
        Assert.Equal(8, roc.Thresholds.Count);
        Near.Equal([0.0, 0.0, 0.0, 0.25, 0.25, 0.5], roc.FalsePositiveRate.Take(6).ToList());
        Near.Equal([0.0, 0.25, 0.5, 0.5, 0.75, 0.75], roc.TruePositiveRate.Take(6).ToList());
        Near.Equal([1.9, 0.9, 0.8, 0.65, 0.5, 0.4], roc.Thresholds.Take(6).ToList());
        // precision_recall_curve(y, p): 9 points, 8 thresholds, ending at precision 1, recall 0.
        var pr = report.PrecisionRecall!;
        Assert.Equal((9, 8), (pr.Precision.Count, pr.Thresholds.Count));
        Near.Equal([0.5, 0.5714285714285714, 0.6666666666666666, 0.6, 0.75, 0.6666666666666666], pr.Precision.Take(6).ToList());
        Near.Equal([1.0, 1.0, 1.0, 0.75, 0.75, 0.5], pr.Recall.Take(6).ToList());
        Near.Equal([0.1, 0.2, 0.35, 0.4, 0.5, 0.65], pr.Thresholds.Take(6).ToList());
        Assert.Equal((1.0, 0.0), (pr.Precision[^1], pr.Recall[^1]));
        // calibration_curve(y, p, n_bins=10): 0.1 and 0.2 sit on edges and fall in the bin below them.
        var bins = report.Calibration!;
        Near.Equal([0.0, 0.0, 0.5, 1.0, 0.0, 1.0, 1.0], bins.Select(b => b.FractionPositive).ToList());
        Near.Equal([0.1, 0.2, 0.375, 0.5, 0.65, 0.8, 0.9], bins.Select(b => b.MeanPredicted).ToList());
        Assert.Equal([1L, 1, 2, 1, 1, 1, 1], bins.Select(b => b.Count));
        Assert.Equal((0.0, 0.1), (bins[0].Lower, bins[0].Upper));
        Assert.Equal((0.30000000000000004, 0.4), (bins[2].Lower, bins[2].Upper));
    }

    [Fact]
    public void Tied_scores_share_one_threshold_in_roc_auc_and_average_precision()
    {
        // y = [0,1,0,1,1,0,1,0,0,1]; p = [0.3,0.3,0.5,0.5,0.7,0.7,0.7,0.1,0.9,0.9]
        // roc_auc_score: 0.6200000000000001, average_precision_score: 0.5653968253968253
        var report = BinaryMetrics.Compute([0, 1, 0, 1, 1, 0, 1, 0, 0, 1], [0.3, 0.3, 0.5, 0.5, 0.7, 0.7, 0.7, 0.1, 0.9, 0.9]);

        Near.Equal(0.6200000000000001, report.RocAuc);
        Near.Equal(0.5653968253968253, report.PrAuc);
        Near.Equal(0.7377570925897657, report.LogLoss);
        Near.Equal(0.258, report.Brier);
        Assert.Equal([[2L, 3L], [1L, 4L]], report.ConfusionMatrix);
        // roc_curve: fpr [0, .2, .4, .8, 1], tpr [0, .2, .6, 1, 1], thresholds [1.9, .9, .7, .3, .1]: 0.5 is collinear and dropped.
        Near.Equal([0.0, 0.2, 0.4, 0.8, 1.0], report.Roc!.FalsePositiveRate);
        Near.Equal([0.0, 0.2, 0.6, 1.0, 1.0], report.Roc.TruePositiveRate);
        Near.Equal([1.9, 0.9, 0.7, 0.3, 0.1], report.Roc.Thresholds);
        Near.Equal([0.5, 0.5555555555555556, 0.5714285714285714, 0.6, 0.5, 1.0], report.PrecisionRecall!.Precision);
        // calibration_curve prob_pred for the three 0.7s: 0.6999999999999998, as bincount adds them.
        Assert.Equal(0.6999999999999998, report.Calibration![3].MeanPredicted);
    }

    [Fact]
    public void Only_positive_labels_leave_roc_auc_undefined_and_precision_at_zero_division()
    {
        // y = [1,1,1]; p = [0.2,0.3,0.4]: nothing reaches 0.5, so TP + FP = 0 and precision is 0 (zero_division=0).
        var report = BinaryMetrics.Compute([1, 1, 1], [0.2, 0.3, 0.4]);

        Assert.Null(report.RocAuc);
        Assert.Null(report.Roc);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (report.Accuracy, report.Precision, report.Recall, report.F1));
        Assert.Equal(1.0, report.PrAuc);
        // log_loss(y, p, labels=[0, 1]): 1.2432338162113972; brier_score_loss: 0.49666666666666676
        Near.Equal(1.2432338162113972, report.LogLoss);
        Near.Equal(0.49666666666666676, report.Brier);
        Assert.DoesNotContain(MetricNames.RocAuc, report.Flatten().Keys);
    }

    [Fact]
    public void Only_negative_labels_leave_roc_auc_undefined_and_average_precision_zero()
    {
        // y = [0,0]; p = [0.6,0.2]: recall is 0/0 → 0; average_precision_score returns -0.0, reported as 0.
        var report = BinaryMetrics.Compute([0, 0], [0.6, 0.2]);

        Assert.Null(report.RocAuc);
        Assert.Equal((0.5, 0.0, 0.0, 0.0), (report.Accuracy, report.Precision, report.Recall, report.F1));
        Assert.Equal(0.0, report.PrAuc);
        Assert.False(double.IsNegative(report.PrAuc!.Value));
        // precision_recall_curve sets recall to 1 at every threshold when there is no positive row.
        Assert.Equal([1.0, 1.0, 0.0], report.PrecisionRecall!.Recall);
        Near.Equal(0.5697171415941824, report.LogLoss);
        Near.Equal(0.2, report.Brier);
    }

    [Fact]
    public void Probabilities_of_exactly_zero_and_one_are_clipped_to_machine_epsilon_in_log_loss()
    {
        // log_loss([1,0,1,0], [0.0,1.0,1.0,0.0]): 18.021826694558577 = (−2·log(eps) − 2·log(1 − eps)) / 4
        var report = BinaryMetrics.Compute([1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0]);

        Near.Equal(18.021826694558577, report.LogLoss);
        Near.Equal(-(2 * Math.Log(2.220446049250313e-16) + 2 * Math.Log(1 - 2.220446049250313e-16)) / 4, report.LogLoss);
        Assert.True(double.IsFinite(report.LogLoss!.Value));
        Assert.Equal(0.5, report.Brier);
        Assert.Equal(0.5, report.RocAuc);
        Assert.Equal([2.0, 1.0, 0.0], report.Roc!.Thresholds);
    }

    [Fact]
    public void Scores_outside_zero_to_one_still_rank_but_give_no_brier_or_calibration()
    {
        var report = BinaryMetrics.Compute([0, 1, 0, 1], [-2.5, 3.0, 0.5, 1.5], threshold: 1.0);

        Assert.Equal(1.0, report.RocAuc);
        Assert.Equal(1.0, report.Accuracy);
        Assert.Null(report.Brier);
        Assert.Null(report.Calibration);
        Assert.NotNull(report.LogLoss);
    }

    [Fact]
    public void No_rows_give_no_metrics()
    {
        var report = BinaryMetrics.Compute([], []);

        Assert.Equal(0, report.Count);
        Assert.Null(report.Accuracy);
        Assert.Null(report.RocAuc);
        Assert.Empty(report.Flatten());
        Assert.Equal([[0L, 0L], [0L, 0L]], report.ConfusionMatrix);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_row_that_is_wrong()
    {
        Assert.Contains("Row 1 has label 2", Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute([0, 2], [0.1, 0.2])).Message);
        Assert.Contains("Row 0 has the value NaN", Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute([0], [double.NaN])).Message);
        Assert.Contains("expected 2", Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute([0, 1], [0.1])).Message);
    }

    [Fact]
    public void The_flat_view_names_every_defined_metric()
    {
        var flat = BinaryMetrics.Compute(Labels, Scores).Flatten();

        Assert.Equal(["accuracy", "precision", "recall", "f1", "rocAuc", "prAuc", "logLoss", "brier"], flat.Keys);
        Assert.Equal(0.8125, flat["rocAuc"]);
    }
}
