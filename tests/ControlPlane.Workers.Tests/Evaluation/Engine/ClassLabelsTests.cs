using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

public sealed class ClassLabelsTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("1.0", 1)]
    [InlineData(" 1 ", 1)]
    [InlineData("true", 1)]
    [InlineData("False", 0)]
    [InlineData("0", 0)]
    public void Int64_classes_match_labels_by_value(string label, int expected)
    {
        var classes = ClassLabels.Int64([0, 1]);

        Assert.True(classes.TryMatch(label, out var index));
        Assert.Equal(expected, index);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0.5")]
    [InlineData("yes")]
    public void Int64_classes_refuse_other_values(string label) =>
        Assert.False(ClassLabels.Int64([0, 1]).TryMatch(label, out _));

    [Fact]
    public void Numbers_match_int64_classes_only_when_equal()
    {
        var classes = ClassLabels.Int64([3, 7]);

        Assert.True(classes.TryMatch(7.0, out var index));
        Assert.Equal(1, index);
        Assert.False(classes.TryMatch(7.5, out _));
    }

    [Fact]
    public void String_classes_match_exactly_then_ignoring_case_then_by_number()
    {
        var classes = ClassLabels.Strings(["Yes", "yes", "no", "1"]);

        Assert.True(classes.TryMatch("yes", out var exact));
        Assert.Equal(1, exact);
        Assert.True(classes.TryMatch("NO", out var ignoringCase));
        Assert.Equal(2, ignoringCase);
        Assert.True(classes.TryMatch("1.0", out var number));
        Assert.Equal(3, number);
        Assert.True(classes.TryMatch(1.0, out var fromNumber));
        Assert.Equal(3, fromNumber);
        Assert.False(classes.TryMatch("maybe", out _));
    }

    [Fact]
    public void A_boolean_column_read_as_one_and_zero_matches_true_and_false_classes()
    {
        var classes = ClassLabels.Strings(["False", "True"]);

        Assert.True(classes.TryMatch(1.0, out var index));
        Assert.Equal(1, index);
    }

    [Fact]
    public void Repeated_classes_are_refused() =>
        Assert.Throws<EvaluationInputException>(() => ClassLabels.Int64([0, 1, 1]));
}
