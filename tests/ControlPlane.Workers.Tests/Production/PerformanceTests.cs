using ControlPlane.Domain.Production;
using ControlPlane.Workers.Production;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>Realised metrics once actuals arrive and the CBPE estimate before, against values worked out by hand.</summary>
public sealed class PerformanceTests
{
    private static readonly double[] Scores = [0.9, 0.8, 0.6, 0.4, 0.3, 0.1];

    [Fact]
    public async Task Cbpe_of_six_scores_equals_the_expected_confusion_matrix_worked_by_hand()
    {
        await using var p = await ProductionHost.StartAsync();
        var monitor = await p.MonitorAsync(new ProductionMonitorSettings());
        await p.PredictionsAsync(Eight.AddMinutes(70), Scores.Select((s, i) => new PredictionRow($"p{i}", Eight.AddMinutes(i), Score: s)).ToArray());

        await p.RunAsync(monitor);
        var estimated = (await p.WindowAsync(monitor, Eight)).Estimated!;

        // t = 0.5: TP = .9+.8+.6 = 2.3, FP = .1+.2+.4 = 0.7, FN = .4+.3+.1 = 0.8, TN = .6+.7+.9 = 2.2.
        // Accuracy (2.3 + 2.2)/6 = 0.75; Σ p(1−p) = .09+.16+.24+.24+.21+.09 = 1.03, SE = √1.03/6.
        var se = Math.Sqrt(1.03) / 6;
        Assert.Equal(("CBPE", "accuracy", 6L), (estimated.Method, estimated.Metric, estimated.Rows));
        Assert.Equal(0.75, estimated.Value, 12);
        Assert.Equal(0.16914819, estimated.StandardError, 8);
        Assert.Equal(se, estimated.StandardError, 12);
        Assert.Equal(0.75 - 1.96 * se, estimated.Lower, 12);
        Assert.Equal(1, estimated.Upper); // 0.75 + 1.96 SE = 1.08, clipped
        Assert.Null((await p.WindowAsync(monitor, Eight)).Realised);
    }

    [Fact]
    public void Cbpe_precision_recall_and_f1_come_from_the_expected_matrix()
    {
        // The six scores above: m = 3 predicted positive, Σp over them 2.3 (Σp(1−p) .49), over the others 0.8 (Σp(1−p) .54).
        var estimates = Cbpe.Estimate(new CbpeSums(6, 3, 2.3, 0.49, 0.8, 0.54)).ToDictionary(e => e.Metric);

        Assert.Equal(2.3 / 3, estimates["precision"].Value, 12);
        Assert.Equal(0.7 / 3, estimates["precision"].StandardError, 12); // √.49 / 3
        Assert.Equal(2.3 / 3.1, estimates["recall"].Value, 12);
        // Delta method: √(FN²·Var TP + TP²·Var FN) / (TP+FN)² = √(.64·.49 + 5.29·.54) / 9.61.
        Assert.Equal(Math.Sqrt(0.64 * 0.49 + 5.29 * 0.54) / 9.61, estimates["recall"].StandardError, 12);
        Assert.Equal(4.6 / 6.1, estimates["f1"].Value, 12); // 2TP / (2TP + FP + FN)
        var clipped = Cbpe.Estimate(new CbpeSums(2, 2, 1.98, 0.0198, 0, 0)).Single(e => e.Metric == "accuracy");
        Assert.Equal((0.99, 1.0), (clipped.Value, clipped.Upper)); // the band stops at 1
    }

    [Fact]
    public async Task Realised_metrics_use_the_first_received_prediction_and_the_last_received_actual()
    {
        await using var p = await ProductionHost.StartAsync();
        var monitor = await p.MonitorAsync(new ProductionMonitorSettings());
        var rows = Scores.Select((s, i) => new PredictionRow($"p{i}", Eight.AddMinutes(i), Score: s)).ToArray();
        await p.PredictionsAsync(Eight.AddMinutes(70), rows);
        // A repeat of p0 received later with another score, and a seventh prediction that never gets a label.
        await p.PredictionsAsync(Eight.AddMinutes(80), rows[0] with { Score = 0.05 }, new PredictionRow("p6", Eight.AddMinutes(30), Score: 0.7));
        // Labels 1,0,1,0,1,0; p1 was first labelled 1 and then corrected to 0.
        await p.ActualsAsync(Eight.AddMinutes(90), new ActualRow("p1", "1", Eight.AddMinutes(50)));
        await p.ActualsAsync(Eight.AddMinutes(95), new ActualRow("p0", "1", Eight.AddMinutes(51)), new ActualRow("p1", "0", Eight.AddMinutes(52)),
            new ActualRow("p2", "true", Eight.AddMinutes(53)), new ActualRow("p3", "0", Eight.AddMinutes(54)), new ActualRow("p4", "yes", Eight.AddMinutes(55)),
            new ActualRow("p5", "false", Eight.AddMinutes(56)));

        await p.RunAsync(monitor);
        var window = await p.WindowAsync(monitor, Eight);
        var stored = Assert.Single(await p.WindowsAsync(monitor));

        Assert.Equal((7L, 6L), (stored.Predictions, stored.Labelled));
        var realised = window.Realised!;
        Assert.Equal(6, realised.Labelled);
        Assert.Equal(6 / 7.0, realised.Coverage, 12);
        // Predicted positive p0, p1, p2 (score ≥ .5): TP p0, p2; FP p1; FN p4; TN p3, p5.
        Assert.Equal(4 / 6.0, realised.Metrics["accuracy"], 12);
        Assert.Equal(2 / 3.0, realised.Metrics["precision"], 12);
        Assert.Equal(2 / 3.0, realised.Metrics["recall"], 12);
        Assert.Equal(2 / 3.0, realised.Metrics["f1"], 12);
        // Positives .9, .6, .3 against negatives .8, .4, .1: 3 + 2 + 1 of 9 pairs ranked right.
        Assert.Equal(6 / 9.0, realised.Metrics["rocAuc"], 12);
        // −mean log of the probability given to the true class.
        var logLoss = -(Math.Log(0.9) + Math.Log(0.2) + Math.Log(0.6) + Math.Log(0.6) + Math.Log(0.3) + Math.Log(0.9)) / 6;
        Assert.Equal(logLoss, realised.Metrics["logLoss"], 12);
        // CBPE covers every scored prediction, labelled or not: (TP + TN) / 7 with p6 = .7 added to the positives.
        Assert.Equal((2.3 + 0.7 + 2.2) / 7, window.Estimated!.Value, 12);
    }

    [Fact]
    public async Task Regression_and_label_only_classifiers_get_their_own_metrics()
    {
        await using var p = await ProductionHost.StartAsync();
        var regression = await p.MonitorAsync(new ProductionMonitorSettings(), targetValue: "1", name: "reg");
        var classes = await p.MonitorAsync(new ProductionMonitorSettings(), targetValue: "2", name: "cls");
        await p.PredictionsAsync(Eight.AddMinutes(70),
            new PredictionRow("r0", Eight, Value: 1), new PredictionRow("r1", Eight, Value: 2), new PredictionRow("r2", Eight, Value: 4),
            new PredictionRow("c0", Eight, Version: 2, Label: "cat"), new PredictionRow("c1", Eight, Version: 2, Label: "dog"),
            new PredictionRow("c2", Eight, Version: 2, Label: "dog"), new PredictionRow("c3", Eight, Version: 2, Label: "cat"));
        await p.ActualsAsync(Eight.AddMinutes(80), new ActualRow("r0", "1", Eight, 1), new ActualRow("r1", "3", Eight, 3), new ActualRow("r2", "2", Eight, 2),
            new ActualRow("c0", "cat", Eight), new ActualRow("c1", "cat", Eight), new ActualRow("c2", "dog", Eight), new ActualRow("c3", "cat", Eight));

        await p.RunAsync(regression);
        await p.RunAsync(classes);
        var r = (await p.WindowAsync(regression, Eight)).Realised!.Metrics;
        var c = (await p.WindowAsync(classes, Eight)).Realised!.Metrics;

        // Errors 0, −1, 2: RMSE √(5/3), MAE 1; actual mean 2, SS_tot 2, SS_res 5, R² = 1 − 5/2.
        Assert.Equal(Math.Sqrt(5 / 3.0), r["rmse"], 12);
        Assert.Equal(1, r["mae"], 12);
        Assert.Equal(-1.5, r["r2"], 12);
        // cat: 3 true, 2 predicted right of 2 predicted (P 1, R 2/3, F1 .8); dog: 1 true, 1 right of 2 predicted (P .5, R 1, F1 2/3).
        Assert.Equal(0.75, c["accuracy"], 12);
        Assert.Equal((0.8 + 2 / 3.0) / 2, c["macroF1"], 12);
        Assert.Equal((3 * 0.8 + 2 / 3.0) / 4, c["weightedF1"], 12);
        Assert.False(c.ContainsKey("logLoss"));
    }
}
