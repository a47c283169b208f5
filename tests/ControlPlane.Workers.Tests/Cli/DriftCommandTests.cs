using System.Text.Json;
using ControlPlane.TestSupport;

namespace ControlPlane.Workers.Tests.Cli;

/// <summary><c>drift</c> on small CSV files whose results are worked by hand (and checked against scipy 1.10).</summary>
public sealed class DriftCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("cp-cli-drift");

    // 40 rows: x = 1..40; c = a×20, b×15, c×5; a date column; a column the other file lacks.
    private string Reference() => Csv("reference.csv", "x,c,day,only_reference",
        Enumerable.Range(1, 40).Select(i => $"{i},{Category(i, 20, 35)},2024-01-{1 + i % 28:00},{i}"));

    // x shifted by 20 (21..60); c = a×10, b×15, c×15.
    private string Shifted() => Csv("current.csv", "x,c,day,only_current",
        Enumerable.Range(1, 40).Select(i => $"{i + 20},{Category(i, 10, 25)},2024-02-{1 + i % 28:00},{i}"));

    [Fact]
    public async Task Identical_files_show_no_drift_with_ks_p_of_one()
    {
        var reference = Reference();
        var run = await CommandRun.DriftAsync("--reference", reference, "--current", reference);

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var json = JsonDocument.Parse(run.Output).RootElement;
        Assert.False(json.GetProperty("datasetDrift").GetBoolean());
        Assert.Equal(0, json.GetProperty("driftShare").GetDouble());
        var columns = json.GetProperty("columns").EnumerateArray().ToList();
        // The date column is skipped by default.
        Assert.Equal(["x", "c", "only_reference"], columns.Select(c => c.GetProperty("name").GetString()));
        var ks = Test(columns[0], 0);
        Assert.Equal(("ks", 0.0, 1.0, false), (ks.GetProperty("method").GetString(), ks.GetProperty("statistic").GetDouble(), ks.GetProperty("pValue").GetDouble(), ks.GetProperty("drifted").GetBoolean()));
        var chi = Test(columns[1], 0);
        Assert.Equal(("chisquare", 0.0, 1.0), (chi.GetProperty("method").GetString(), chi.GetProperty("statistic").GetDouble(), chi.GetProperty("pValue").GetDouble()));
        Assert.All(columns, c => Assert.Equal("ok", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_shifted_number_column_and_a_reshuffled_category_column_drift_with_hand_worked_statistics()
    {
        var run = await CommandRun.DriftAsync("--reference", Reference(), "--current", Shifted());

        Assert.Equal(0, run.ExitCode);
        var json = JsonDocument.Parse(run.Output).RootElement;
        var columns = json.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(["x", "c"], columns.Select(c => c.GetProperty("name").GetString()));
        Assert.True(json.GetProperty("datasetDrift").GetBoolean());
        Assert.Equal(1, json.GetProperty("driftShare").GetDouble());

        // KS: at z = 20 the reference ECDF is 20/40 and the current one 0, so D = 0.5. p is exact (n ≤ 10,000):
        // ks_2samp(np.arange(1, 41), np.arange(21, 61)).pvalue = 6.5768913245274e-05
        var ks = Test(columns[0], 0);
        Assert.Equal("ks", ks.GetProperty("method").GetString());
        Assert.Equal(0.5, ks.GetProperty("statistic").GetDouble());
        Assert.Equal(6.5768913245274e-05, ks.GetProperty("pValue").GetDouble(), 1e-17);
        Assert.True(ks.GetProperty("drifted").GetBoolean());

        // Chi-square on [[20, 15, 5], [10, 15, 15]]: expected 15, 15, 10 per row, so
        // χ² = 2·(25/15) + 2·(25/10) = 8.333…, and with dof 2, p = exp(−χ²/2). scipy agrees:
        // chi2_contingency(np.array([[20, 15, 5], [10, 15, 15]]), correction=False)[:2] = (8.333333333333334, 0.015503853599009307)
        var chi = Test(columns[1], 0);
        Assert.Equal("chisquare", chi.GetProperty("method").GetString());
        Assert.Equal(8.333333333333334, chi.GetProperty("statistic").GetDouble(), 1e-12);
        Assert.Equal(0.015503853599009307, chi.GetProperty("pValue").GetDouble(), 1e-15);
        Assert.Equal(Math.Exp(-25.0 / 6), chi.GetProperty("pValue").GetDouble(), 1e-15);
        Assert.All(columns, c => Assert.Equal(("drifted", true), (c.GetProperty("status").GetString(), c.GetProperty("drifted").GetBoolean())));
    }

    [Fact]
    public async Task The_json_has_exactly_the_documented_shape()
    {
        var reference = Csv("r.csv", "x,c,sparse", Enumerable.Range(1, 40).Select(i => $"{i},{Category(i, 20, 35)},{(i <= 10 ? i : "")}"));
        var current = Csv("c.csv", "x,c,sparse", Enumerable.Range(1, 40).Select(i => $"{i + 20},{Category(i, 10, 25)},{(i <= 10 ? i : "")}"));

        var run = await CommandRun.DriftAsync("--reference", reference, "--current", current, "--methods", "wasserstein,ks,chisquare");

        var json = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(["datasetDrift", "driftShare", "columns"], Names(json));
        var columns = json.GetProperty("columns").EnumerateArray().ToList();
        // x's chi-square on 10 bins of 40 + 40 values has every expected count below 5: that column carries a warning.
        Assert.Equal(["name", "type", "missingShare", "tests", "drifted", "status", "warnings"], Names(columns[0]));
        Assert.Equal(["method", "read", "message"], Names(columns[0].GetProperty("warnings")[0]));
        Assert.All(columns.Skip(1), c => Assert.Equal(["name", "type", "missingShare", "tests", "drifted", "status"], Names(c)));
        Assert.All(columns, c => Assert.Equal(["reference", "current"], Names(c.GetProperty("missingShare"))));
        Assert.Equal(["numerical", "categorical", "numerical"], columns.Select(c => c.GetProperty("type").GetString()));
        Assert.Equal(["drifted", "drifted", "insufficientData"], columns.Select(c => c.GetProperty("status").GetString()));

        // First listed method that fits decides; the others are reported; only p-value tests carry pValue, only Wasserstein normalized.
        var x = columns[0].GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(["wasserstein", "ks", "chisquare"], x.Select(t => t.GetProperty("method").GetString()));
        Assert.Equal(["method", "statistic", "normalized", "threshold", "drifted"], Names(x[0]));
        Assert.Equal(["method", "statistic", "pValue", "threshold", "drifted"], Names(x[1]));
        Assert.Equal(["method", "statistic", "pValue", "threshold", "drifted"], Names(x[2]));
        // W = 20 (every value moved by 20); the reference's population std is sqrt((40² − 1) / 12).
        Assert.Equal(20, x[0].GetProperty("statistic").GetDouble(), 1e-12);
        Assert.Equal(20 / Math.Sqrt((40.0 * 40 - 1) / 12), x[0].GetProperty("normalized").GetDouble(), 1e-12);
        Assert.Equal(0.1, x[0].GetProperty("threshold").GetDouble());

        var c = columns[1].GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(["chisquare"], c.Select(t => t.GetProperty("method").GetString()));

        Assert.Empty(columns[2].GetProperty("tests").EnumerateArray());
        Assert.Equal(0.75, columns[2].GetProperty("missingShare").GetProperty("reference").GetDouble());
        Assert.Equal(0.75, columns[2].GetProperty("missingShare").GetProperty("current").GetDouble());
        Assert.Equal(1, json.GetProperty("driftShare").GetDouble()); // the insufficient column is left out of the share
    }

    [Fact]
    public async Task The_table_has_a_line_per_column_with_the_deciding_test_and_a_summary()
    {
        var run = await CommandRun.DriftAsync("--reference", Reference(), "--current", Shifted(), "--format", "table");

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal(["column", "type", "status", "test", "statistic", "normalized", "p-value", "threshold", "missing", "ref", "missing", "cur"], Words(lines[0]));
        Assert.Equal(["x", "numerical", "drifted", "ks", "0.5", "-", "6.57689E-05", "0.05", "0", "0"], Words(lines[1]));
        Assert.Equal(["c", "categorical", "drifted", "chisquare", "8.33333", "-", "0.0155039", "0.05", "0", "0"], Words(lines[2]));
        Assert.Equal("dataset drift: yes; 2 of 2 judged columns drifted (share 1)", lines[3]);
        Assert.Equal(lines[0].IndexOf("status", StringComparison.Ordinal), lines[1].IndexOf("drifted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_test_that_cannot_see_drift_on_rare_categories_is_named_with_the_one_to_read_in_json_and_table()
    {
        // c: a×36 and b, c, d, e once each, in both files. Chi-square's expected counts on the 2×5 table are 36 for a
        // and 1 for each rare category: 8 of 10 cells (80%) below 5, the smallest 1; Cochran allows 20%.
        var rows = Enumerable.Range(1, 40).Select(i => $"{i},{(i <= 36 ? "a" : ((char)('b' + i - 37)).ToString())}").ToList();
        var reference = Csv("rare-ref.csv", "x,c", rows);
        var current = Csv("rare-cur.csv", "x,c", rows);

        var json = JsonDocument.Parse((await CommandRun.DriftAsync("--reference", reference, "--current", current, "--columns", "c")).Output).RootElement;
        var warning = json.GetProperty("columns")[0].GetProperty("warnings").EnumerateArray().Single();
        Assert.Equal(("chisquare", "jensenshannon"), (warning.GetProperty("method").GetString(), warning.GetProperty("read").GetString()));
        Assert.Contains("80% of its 10 expected counts are below 5 (the smallest is 1)", warning.GetProperty("message").GetString());

        var table = await CommandRun.DriftAsync("--reference", reference, "--current", current, "--columns", "c", "--format", "table");
        Assert.StartsWith("warning: c: χ² cannot be trusted here: 80% of its 10 expected counts", table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task Columns_are_chosen_by_name_ignoring_case_and_methods_that_need_numbers_skip_categories()
    {
        var run = await CommandRun.DriftAsync("--reference", Reference(), "--current", Shifted(), "--columns", "C,x",
            "--methods", "ks,jensenshannon,psi");

        var columns = JsonDocument.Parse(run.Output).RootElement.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(["c", "x"], columns.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["jensenshannon", "psi"], columns[0].GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("method").GetString()));
        Assert.Equal(["ks", "jensenshannon", "psi"], columns[1].GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("method").GetString()));
    }

    [Fact]
    public async Task Boolean_columns_compare_by_value_whatever_the_spelling()
    {
        var reference = Csv("r.csv", "flag", Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? "true" : "false"));
        var current = Csv("c.csv", "flag", Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? "TRUE" : "False"));

        var run = await CommandRun.DriftAsync("--reference", reference, "--current", current);

        var column = Assert.Single(JsonDocument.Parse(run.Output).RootElement.GetProperty("columns").EnumerateArray());
        Assert.Equal("categorical", column.GetProperty("type").GetString());
        Assert.Equal(0, Test(column, 0).GetProperty("statistic").GetDouble());
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["--reference", "{dir}/missing.csv", "--current", "{current}"], "reference file '{dir}/missing.csv' does not exist" },
        { ["--reference", "{reference}", "--current", "{dir}/missing.csv"], "current file '{dir}/missing.csv' does not exist" },
        { ["--reference", "{reference}", "--current", "{ragged}"], "current file '{ragged}' cannot be read: Line 3" },
        { ["--reference", "{empty}", "--current", "{current}"], "reference file '{empty}' cannot be read: The file is empty." },
        { ["--reference", "{reference}", "--current", "{current}", "--columns", "x,nope"], "column 'nope' is not in the reference file" },
        { ["--reference", "{reference}", "--current", "{current}", "--columns", "only_reference"], "column 'only_reference' is not in the current file" },
        { ["--reference", "{reference}", "--current", "{current}", "--columns", "day"], "column 'day' holds dates" },
        { ["--reference", "{reference}", "--current", "{current}", "--methods", "ks,kolmogorov"], "unknown method 'kolmogorov' (use ks, wasserstein, psi, jensenshannon, chisquare)" },
        { ["--reference", "{reference}", "--current", "{current}", "--columns", "c", "--methods", "ks,psi"], "method 'ks' fits none of the compared columns" },
        { ["--reference", "{reference}", "--current", "{current}", "--methods", "wasserstein"], "no listed method fits categorical column 'c'" },
        { ["--reference", "{reference}", "--current", "{other}"], "the files have no numerical or categorical column in common" },
        { ["--reference", "{reference}"], "option '--current' is required" },
        { ["--reference", "{reference}", "--current", "{current}", "--format", "xml"], "option '--format' must be json or table, not 'xml'" },
        { ["--reference", "{reference}", "--current", "{current}", "--threshold", "0.1"], "unknown option '--threshold'" },
        { ["--reference", "{reference}", "--current"], "option '--current' needs a value" },
        { ["--reference", "{reference}", "--reference", "{reference}"], "option '--reference' is given twice" },
        { ["--reference", "{reference}", "--current", "{current}", "--columns", ","], "option '--columns' lists nothing" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_exits_2_with_one_line_saying_why(string[] args, string reason)
    {
        var files = new Dictionary<string, string>
        {
            ["{reference}"] = Reference(),
            ["{current}"] = Shifted(),
            ["{ragged}"] = Csv("ragged.csv", "x,c", ["1,a", "2,b,extra"]),
            ["{empty}"] = Csv("empty.csv", "", []),
            ["{other}"] = Csv("other.csv", "y,day", Enumerable.Range(1, 40).Select(i => $"{i},2024-03-01")),
            ["{dir}"] = _dir.Path,
        };
        string Fill(string text) => files.Aggregate(text, (t, f) => t.Replace(f.Key, f.Value, StringComparison.Ordinal));

        var run = await CommandRun.DriftAsync([.. args.Select(Fill)]);

        run.AssertRefused("drift", Fill(reason));
    }

    [Fact]
    public async Task A_missing_relative_path_says_where_it_was_looked_for()
    {
        var run = await CommandRun.DriftAsync("--reference", "no-such-reference.csv", "--current", Reference());

        run.AssertRefused("drift", $"reference file 'no-such-reference.csv' does not exist (relative paths resolve against {Directory.GetCurrentDirectory()})");
    }

    [Fact]
    public async Task Help_prints_the_usage()
    {
        var run = await CommandRun.DriftAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("usage: drift --reference FILE --current FILE", run.Output);
    }

    public void Dispose() => _dir.Dispose();

    private static string Category(int i, int a, int b) => i <= a ? "a" : i <= b ? "b" : "c";

    private static JsonElement Test(JsonElement column, int index) => column.GetProperty("tests")[index];

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private string Csv(string name, string header, IEnumerable<string> rows)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, header.Length == 0 ? "" : header + "\n" + string.Join("\n", rows) + "\n");
        return path;
    }
}
