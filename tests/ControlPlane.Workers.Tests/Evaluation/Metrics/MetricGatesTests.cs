using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>Each kind of gate, in both directions, with and without a baseline, as MLflow's MetricThreshold decides.</summary>
public sealed class MetricGatesTests
{
    private static GateResult Gate(double? candidate, double? baseline, MetricThreshold gate, bool withBaseline = true)
    {
        var candidates = candidate is null ? new Dictionary<string, double>() : new Dictionary<string, double> { [gate.Metric] = candidate.Value };
        var baselines = baseline is null ? new Dictionary<string, double>() : new Dictionary<string, double> { [gate.Metric] = baseline.Value };
        return Assert.Single(MetricGates.Evaluate(candidates, withBaseline ? baselines : null, [gate]));
    }

    private static MetricThreshold Higher(double? threshold = null, double? absolute = null, double? relative = null) =>
        new("accuracy", threshold, absolute, relative, GreaterIsBetter: true);

    private static MetricThreshold Lower(string metric = "logLoss", double? threshold = null, double? absolute = null, double? relative = null) =>
        new(metric, threshold, absolute, relative, GreaterIsBetter: false);

    [Theory]
    [InlineData(0.91, true)]
    [InlineData(0.9, true)]
    [InlineData(0.85, false)]
    public void A_threshold_on_a_greater_is_better_metric_is_a_floor(double candidate, bool passed)
    {
        var result = Gate(candidate, null, Higher(threshold: 0.9), withBaseline: false);

        Assert.Equal(passed, result.Passed);
        Assert.Equal(passed ? "accuracy = " + candidate.ToString(System.Globalization.CultureInfo.InvariantCulture) + " passed: ≥ threshold 0.9." : "accuracy = 0.85 failed: below threshold 0.9.", result.Reason);
        Assert.Null(result.Baseline);
        Assert.Null(result.Delta);
    }

    [Theory]
    [InlineData(0.3, true)]
    [InlineData(0.4, false)]
    public void A_threshold_on_a_lower_is_better_metric_is_a_ceiling(double candidate, bool passed)
    {
        var result = Gate(candidate, 0.5, Lower(threshold: 0.35));

        Assert.Equal(passed, result.Passed);
        Assert.Contains(passed ? "≤ threshold 0.35" : "above threshold 0.35", result.Reason);
    }

    [Fact]
    public void Figures_read_at_six_digits_unless_that_would_hide_why_a_value_failed()
    {
        Assert.Equal("accuracy = 0.786677 passed: ≥ threshold 0.7.", Gate(0.7866766126093294, null, Higher(threshold: 0.7)).Reason);
        // 0.8 + 0.05 is 0.8500000000000001 in binary: a candidate of exactly 0.85 fails, and six digits would read "0.85 < 0.85".
        Assert.Equal("accuracy = 0.85 failed: not ≥ baseline 0.8 + 0.05 = 0.8500000000000001.", Gate(0.85, 0.8, Higher(absolute: 0.05)).Reason);
    }

    [Theory]
    [InlineData(0.86, true)]
    [InlineData(0.84, false)]
    public void A_minimum_absolute_change_needs_candidate_at_least_baseline_plus_change(double candidate, bool passed)
    {
        var result = Gate(candidate, 0.8, Higher(absolute: 0.05));

        Assert.Equal(passed, result.Passed);
        Assert.Contains(passed ? "≥ baseline 0.8 + 0.05" : "not ≥ baseline 0.8 + 0.05 = 0.85", result.Reason);
        Near.Equal(candidate - 0.8, result.Delta);
    }

    [Theory]
    [InlineData(1.85, true)]
    [InlineData(1.95, false)]
    public void A_minimum_absolute_change_on_rmse_needs_candidate_at_most_baseline_minus_change(double candidate, bool passed)
    {
        var result = Gate(candidate, 2.0, Lower("rmse", absolute: 0.1));

        Assert.Equal(passed, result.Passed);
        Assert.Contains(passed ? "≤ baseline 2 − 0.1" : "not ≤ baseline 2 − 0.1 = 1.9", result.Reason);
    }

    [Theory]
    // (candidate − 0.8) / 0.8 must be at least 5%: candidate ≥ 0.84.
    [InlineData(0.85, true, "relative improvement 6.25% over baseline 0.8 ≥ 5%")]
    [InlineData(0.83, false, "relative improvement 3.75% over baseline 0.8 < 5%")]
    public void A_minimum_relative_change_is_a_share_of_the_baseline(double candidate, bool passed, string text)
    {
        var result = Gate(candidate, 0.8, Higher(relative: 0.05));

        Assert.Equal(passed, result.Passed);
        Assert.Contains(text, result.Reason);
        Near.Equal((candidate - 0.8) / 0.8, result.RelativeDelta);
    }

    [Theory]
    // (0.5 − candidate) / 0.5 must be at least 10%: log loss ≤ 0.45.
    [InlineData(0.44, true)]
    [InlineData(0.46, false)]
    public void A_minimum_relative_change_on_log_loss_asks_for_a_drop(double candidate, bool passed)
    {
        var result = Gate(candidate, 0.5, Lower(relative: 0.1));

        Assert.Equal(passed, result.Passed);
        Assert.True(result.RelativeDelta < 0);
    }

    [Theory]
    // MLflow falls back to "better than 0 by 1e-10" when the baseline is 0.
    [InlineData(true, 1e-9, true)]
    [InlineData(true, 0.0, false)]
    [InlineData(false, -1e-9, true)]
    [InlineData(false, 0.0, false)]
    public void A_relative_change_against_a_zero_baseline_asks_for_strictly_better(bool greaterIsBetter, double candidate, bool passed)
    {
        var result = Gate(candidate, 0.0, new MetricThreshold("m", null, null, 0.2, greaterIsBetter));

        Assert.Equal(passed, result.Passed);
        Assert.Null(result.RelativeDelta);
    }

    [Fact]
    public void A_negative_baseline_still_rewards_improvement()
    {
        // R² from −0.2 to 0.1 improves by 0.3, 150% of |−0.2|. MLflow divides by the signed baseline and would fail this.
        var result = Gate(0.1, -0.2, new MetricThreshold("r2", null, null, 0.5, GreaterIsBetter: true));

        Assert.True(result.Passed, result.Reason);
        Near.Equal(1.5, result.RelativeDelta);
        Assert.False(Gate(-0.25, -0.2, new MetricThreshold("r2", null, null, 0.0, GreaterIsBetter: true)).Passed);
    }

    [Fact]
    public void Without_a_baseline_change_gates_fail_and_a_threshold_alone_is_still_checked()
    {
        var noBaselineModel = Gate(0.95, null, Higher(threshold: 0.9, absolute: 0.01), withBaseline: false);
        var metricMissingFromBaseline = Gate(0.95, null, Higher(relative: 0.01));
        var thresholdOnly = Gate(0.95, null, Higher(threshold: 0.9), withBaseline: false);

        Assert.False(noBaselineModel.Passed);
        Assert.Equal("accuracy = 0.95 failed: no baseline: there is no baseline accuracy to compare with.", noBaselineModel.Reason);
        Assert.False(metricMissingFromBaseline.Passed);
        Assert.Contains("no baseline", metricMissingFromBaseline.Reason);
        Assert.True(thresholdOnly.Passed);
    }

    [Fact]
    public void A_metric_missing_from_the_candidate_fails()
    {
        var result = Gate(null, 0.8, Higher(threshold: 0.5));

        Assert.False(result.Passed);
        Assert.Equal("accuracy failed: it is missing from the candidate's metrics.", result.Reason);
        Assert.Equal(0.8, result.Baseline);
    }

    [Fact]
    public void Every_failed_check_of_a_gate_is_in_its_reason()
    {
        var result = Gate(0.82, 0.8, Higher(threshold: 0.9, absolute: 0.05, relative: 0.1));

        Assert.False(result.Passed);
        Assert.Equal("accuracy = 0.82 failed: below threshold 0.9; not ≥ baseline 0.8 + 0.05 = 0.85; relative improvement 2.5% over baseline 0.8 < 10%.", result.Reason);
        Near.Equal(0.02, result.Delta);
        Near.Equal(0.025, result.RelativeDelta);
    }

    [Fact]
    public void Gates_read_the_flat_view_of_reports()
    {
        var candidate = BinaryMetrics.Compute([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9]).Flatten();
        var baseline = BinaryMetrics.Compute([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]).Flatten();

        var results = MetricGates.Evaluate(candidate, baseline,
        [
            new MetricThreshold(MetricNames.RocAuc, 0.9, 0.1, null, GreaterIsBetter: true),
            new MetricThreshold(MetricNames.LogLoss, null, null, 0.1, GreaterIsBetter: false),
        ]);

        Assert.All(results, r => Assert.True(r.Passed, r.Reason));
        Assert.Equal((1.0, 0.75), (results[0].Candidate, results[0].Baseline));
    }

    [Fact]
    public void Malformed_gates_are_refused()
    {
        var metrics = new Dictionary<string, double> { ["accuracy"] = 0.9 };

        Assert.Contains("sets no threshold", Assert.Throws<ArgumentException>(() => MetricGates.Evaluate(metrics, null, [Higher()])).Message);
        Assert.Throws<ArgumentException>(() => MetricGates.Evaluate(metrics, null, [Higher(absolute: 0)]));
        Assert.Throws<ArgumentException>(() => MetricGates.Evaluate(metrics, null, [Higher(relative: 1.5)]));
        Assert.Throws<ArgumentException>(() => MetricGates.Evaluate(metrics, null, [new MetricThreshold(" ", 0.5, null, null, true)]));
    }
}
