using ControlPlane.Workers.Comparison.Statistics;

namespace ControlPlane.Workers.Tests.Comparison;

public sealed class DeLongTests
{
    // Twelve labelled rows with ties inside each model and across the classes (0.6 and 0.4 in A).
    private static readonly bool[] Positive = [true, true, true, true, true, false, false, false, false, false, false, true];
    private static readonly double[] A = [0.9, 0.8, 0.7, 0.4, 0.6, 0.5, 0.3, 0.6, 0.2, 0.1, 0.4, 0.75];
    private static readonly double[] B = [0.7, 0.9, 0.4, 0.6, 0.8, 0.6, 0.2, 0.3, 0.5, 0.1, 0.65, 0.4];

    [Fact]
    public void Paired_test_matches_the_placement_values_of_delongs_definition()
    {
        // Reference from python3 + mpmath 1.3 (30 digits) by DeLong et al.'s 1988 definition, not by midranks:
        // V10(xᵢ) = mean over negatives of ψ(xᵢ, y), V01(yⱼ) = mean over positives of ψ(x, yⱼ), ψ = 1, ½, 0;
        // S10, S01 sample covariances; Var(B − A) = (S10ᴬᴬ + S10ᴮᴮ − 2S10ᴬᴮ)/m + (S01ᴬᴬ + S01ᴮᴮ − 2S01ᴬᴮ)/n;
        // p = 2Φ(−|z|). AUC A = 33/36, B = 28.5/36.
        var test = DeLong.Paired(Positive, A, B);

        Assert.Equal(-0.125, test.Difference, 12);
        Assert.Equal(0.431320155276899482, test.PValue, 12);
        Assert.Equal(0.215660077638449741, test.PBelow, 12);
        Assert.Equal(-0.125 - 1.959963984540054 * 0.158844205061064414, test.Lower, 12);
        Assert.Equal(-0.125 + 1.959963984540054 * 0.158844205061064414, test.Upper, 12);
        Assert.Equal(0.916666666666666667, DeLong.Auc(Positive, A).Auc, 12);
        Assert.Equal(0.00648148148148148148, DeLong.Auc(Positive, A).Variance, 14);
    }

    [Fact]
    public void Unpaired_test_adds_the_two_variances()
    {
        // Same reference script: SE = √(Var A + Var B) = 0.160294867180594540, p = 0.435501031361420838.
        var test = DeLong.Unpaired(Positive, A, Positive, B);

        Assert.Equal(-0.125, test.Difference, 12);
        Assert.Equal(0.435501031361420838, test.PValue, 12);
        Assert.Equal(-0.125 - 1.959963984540054 * 0.160294867180594540, test.Lower, 12);
    }

    [Fact]
    public void The_same_scores_differ_by_nothing()
    {
        var test = DeLong.Paired(Positive, A, A);
        Assert.Equal((0.0, 1.0), (test.Difference, test.PValue));
    }

    [Fact]
    public void One_class_only_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DeLong.Paired([true, true, true], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1]));
    }
}
