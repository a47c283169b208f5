using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>
/// 10,000 rows from <see cref="FormulaRows.Binary"/> against scikit-learn 1.2.1, to 1e-12. Reference values from e.g.
/// <c>roc_auc_score(label, score)</c>, <c>log_loss(label, score)</c>, <c>roc_curve(label, score)</c>,
/// <c>calibration_curve(label, score, n_bins=10)</c>.
/// </summary>
public sealed class BinaryTenThousandRowsTests
{
    private static readonly (byte[] Labels, double[] Scores) Rows = FormulaRows.Binary();

    [Fact]
    public void Threshold_free_metrics_match_scikit_learn()
    {
        var report = BinaryMetrics.Compute(Rows.Labels, Rows.Scores);

        Assert.Equal((10_000L, 5001L), (report.Count, report.Positives));
        Near.Equal(0.7664481106579244, report.RocAuc);
        Near.Equal(0.7527373849407184, report.PrAuc);
        Near.Equal(0.604263674908049, report.LogLoss);
        Near.Equal(0.2001111150155319, report.Brier);
    }

    [Theory]
    // (score >= t): accuracy_score, precision_score, recall_score, f1_score, confusion_matrix(...).ravel()
    [InlineData(0.5, 0.6996, 0.6996600679864027, 0.6996600679864027, 0.6996600679864027, 3497, 1502, 1502, 3499)]
    [InlineData(0.3, 0.6683, 0.6202857142857143, 0.8682263547290542, 0.7236063661361553, 2341, 2658, 659, 4342)]
    public void Threshold_metrics_match_scikit_learn(double threshold, double accuracy, double precision, double recall, double f1, long tn, long fp, long fn, long tp)
    {
        var report = BinaryMetrics.Compute(Rows.Labels, Rows.Scores, threshold);

        Near.Equal(accuracy, report.Accuracy);
        Near.Equal(precision, report.Precision);
        Near.Equal(recall, report.Recall);
        Near.Equal(f1, report.F1);
        Assert.Equal([[tn, fp], [fn, tp]], report.ConfusionMatrix);
    }

    [Fact]
    public void The_full_curves_match_scikit_learn_point_for_point()
    {
        var curve = ThresholdCurve.From(Rows.Labels, Rows.Scores);
        var roc = RankingMetrics.Roc(curve)!;
        var pr = RankingMetrics.PrecisionRecall(curve);

        // roc_curve: 3711 points after drop_intermediate; fpr[1234], tpr[1234], thresholds[1234]
        Assert.Equal(3711, roc.Thresholds.Count);
        Near.Equal(0.16263252650530105, roc.FalsePositiveRate[1234]);
        Near.Equal(0.5226954609078185, roc.TruePositiveRate[1234]);
        Near.Equal(0.6574397921454982, roc.Thresholds[1234]);
        Assert.Equal((1.0, 1.0, 0.0), (roc.FalsePositiveRate[^1], roc.TruePositiveRate[^1], roc.Thresholds[^1]));
        // precision_recall_curve: 10001 points; precision[4321], recall[4321], thresholds[4321]
        Assert.Equal(10_001, pr.Precision.Count);
        Near.Equal(0.6730058108821976, pr.Precision[4321]);
        Near.Equal(0.764247150569886, pr.Recall[4321]);
        Near.Equal(0.4321974617767563, pr.Thresholds[4321]);
    }

    [Fact]
    public void Reported_curves_are_thinned_to_500_points_keeping_both_ends()
    {
        var report = BinaryMetrics.Compute(Rows.Labels, Rows.Scores);

        var roc = report.Roc!;
        Assert.Equal(CurveSampling.MaxPoints, roc.Thresholds.Count);
        Assert.Equal((0.0, 0.0), (roc.FalsePositiveRate[0], roc.TruePositiveRate[0]));
        Assert.Equal((1.0, 1.0), (roc.FalsePositiveRate[^1], roc.TruePositiveRate[^1]));
        Assert.True(roc.FalsePositiveRate.Zip(roc.FalsePositiveRate.Skip(1)).All(p => p.First <= p.Second));
        var pr = report.PrecisionRecall!;
        Assert.Equal((500, 500, 499), (pr.Precision.Count, pr.Recall.Count, pr.Thresholds.Count));
        Assert.Equal((1.0, 0.0), (pr.Precision[^1], pr.Recall[^1]));
        Assert.Equal(Rows.Scores.Min(), pr.Thresholds[0]);
    }

    [Fact]
    public void Calibration_bins_match_scikit_learn()
    {
        var bins = BinaryMetrics.Compute(Rows.Labels, Rows.Scores).Calibration!;

        Near.Equal([0.142, 0.21978021978021978, 0.2972972972972973, 0.381, 0.4624624624624625, 0.5374625374625375, 0.6196196196196196, 0.7022977022977023, 0.78, 0.859],
            bins.Select(b => b.FractionPositive).ToList());
        Near.Equal([0.04997171979614272, 0.14999500349755168, 0.250064494393464, 0.3500049965024484, 0.450007117140124, 0.5500149895073444, 0.6500190607315612, 0.7499750174877592, 0.850020385729988, 0.9499850104926549],
            bins.Select(b => b.MeanPredicted).ToList());
        // np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], score), minlength=10)
        Assert.Equal([1000L, 1001, 999, 1000, 999, 1001, 999, 1001, 1000, 1000], bins.Select(b => b.Count));
    }
}
