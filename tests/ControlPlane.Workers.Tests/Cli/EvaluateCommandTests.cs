using System.Text.Json;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;

namespace ControlPlane.Workers.Tests.Cli;

/// <summary><c>evaluate</c> with hand-built ONNX models on small CSV files whose metrics are worked by hand.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("cp-cli-evaluate");

    // p = σ(x0). Positive (p ≥ 0.5) for x0 ≥ 0: rows 2, 1, 0.5 predicted 1; labels 1, 1, 0 | 1, 0, 0.
    private string Classifier() => Model("classifier.onnx", HandBuiltOnnx.LogisticRegressionWithZipMap([1, 0, 0], 0));

    private string ClassifierData(string label = "y") => Csv("data.csv", $"x0,x1,x2,{label}",
        ["2,0,0,1", "1,0,0,1", "0.5,0,0,0", "-0.5,0,0,1", "-1,0,0,0", "-2,0,0,0"]);

    [Fact]
    public async Task A_binary_classifier_gets_hand_worked_metrics_in_the_documented_json()
    {
        var run = await CommandRun.EvaluateAsync("--model", Classifier(), "--data", ClassifierData(), "--label", "y", "--device", "cpu");

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var json = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(["task", "rows", "device", "metrics", "throughputRowsPerSecond", "latencyMs"], Names(json));
        Assert.Equal(("binary", 6, "CPUExecutionProvider"), (json.GetProperty("task").GetString(), json.GetProperty("rows").GetInt64(), json.GetProperty("device").GetString()));
        Assert.True(json.GetProperty("throughputRowsPerSecond").GetDouble() > 0);
        Assert.Equal(["p50", "p95", "p99"], Names(json.GetProperty("latencyMs")));

        var metrics = json.GetProperty("metrics");
        Assert.Equal(["accuracy", "precision", "recall", "f1", "rocAuc", "prAuc", "logLoss", "brier", "confusionMatrix"], Names(metrics));
        // TP = 2 (x0 = 2, 1), FP = 1 (0.5), FN = 1 (−0.5), TN = 2.
        Assert.Equal(4.0 / 6, metrics.GetProperty("accuracy").GetDouble(), 1e-12);
        Assert.Equal(2.0 / 3, metrics.GetProperty("precision").GetDouble(), 1e-12);
        Assert.Equal(2.0 / 3, metrics.GetProperty("recall").GetDouble(), 1e-12);
        Assert.Equal(2.0 / 3, metrics.GetProperty("f1").GetDouble(), 1e-12);
        // Positives score 2, 1, −0.5 and negatives 0.5, −1, −2: 3 + 3 + 2 of the 9 pairs are ordered right.
        Assert.Equal(8.0 / 9, metrics.GetProperty("rocAuc").GetDouble(), 1e-12);
        // Ranked by score: P P N P N N → precision 1, 1, 3/4 at each recall step of 1/3.
        Assert.Equal((1 + 1 + 0.75) / 3, metrics.GetProperty("prAuc").GetDouble(), 1e-12);
        double[] x0 = [2, 1, 0.5, -0.5, -1, -2];
        int[] y = [1, 1, 0, 1, 0, 0];
        var logLoss = -x0.Zip(y, (x, label) => Math.Log(label == 1 ? Sigmoid(x) : 1 - Sigmoid(x))).Average();
        Assert.Equal(logLoss, metrics.GetProperty("logLoss").GetDouble(), 1e-6);
        var brier = x0.Zip(y, (x, label) => Math.Pow(Sigmoid(x) - label, 2)).Average();
        Assert.Equal(brier, metrics.GetProperty("brier").GetDouble(), 1e-6);
        Assert.Equal("[[2,1],[1,2]]", Compact(metrics.GetProperty("confusionMatrix")));
    }

    [Fact]
    public async Task A_multiclass_classifier_gets_its_own_metrics_and_warnings_go_to_standard_error()
    {
        // Softmax(X · I): the predicted class is the largest feature. The last row (class 0 predicted, 1 true) is wrong.
        float[][] identity = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
        var model = Model("softmax.onnx", HandBuiltOnnx.SoftmaxClassifier(identity, [0, 0, 0]));
        var data = Csv("multiclass.csv", "a,b,c,y", ["1,0,0,0", "0,1,0,1", "0,0,1,2", "1,0,0,1"]);

        var run = await CommandRun.EvaluateAsync("--model", model, "--data", data, "--label", "y", "--device", "cpu");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("evaluate: warning: ", run.Error);
        var metrics = JsonDocument.Parse(run.Output).RootElement.GetProperty("metrics");
        Assert.Equal(["accuracy", "macroF1", "weightedF1", "logLoss", "confusionMatrix"], Names(metrics));
        Assert.Equal(0.75, metrics.GetProperty("accuracy").GetDouble(), 1e-12);
        // F1 per class: 2/3 (precision 1/2, recall 1), 2/3 (precision 1, recall 1/2), 1.
        Assert.Equal((2.0 / 3 + 2.0 / 3 + 1) / 3, metrics.GetProperty("macroF1").GetDouble(), 1e-12);
        Assert.Equal((2.0 / 3 + 2 * (2.0 / 3) + 1) / 4, metrics.GetProperty("weightedF1").GetDouble(), 1e-12);
        Assert.Equal("[[1,0,0],[1,1,0],[0,0,1]]", Compact(metrics.GetProperty("confusionMatrix")));
    }

    [Fact]
    public async Task Features_choose_and_order_the_columns_packed_into_the_model_input()
    {
        // x0 is last in the file; without --features the four other columns would not fit the three-value input.
        var data = Csv("shuffled.csv", "noise,x1,x2,y,x0", ["9,0,0,1,2", "9,0,0,1,1", "9,0,0,0,0.5", "9,0,0,1,-0.5", "9,0,0,0,-1", "9,0,0,0,-2"]);

        var chosen = await CommandRun.EvaluateAsync("--model", Classifier(), "--data", data, "--label", "Y", "--features", "x0,x1,x2", "--device", "cpu");
        var all = await CommandRun.EvaluateAsync("--model", Classifier(), "--data", data, "--label", "y", "--device", "cpu");

        Assert.Equal(0, chosen.ExitCode);
        Assert.Equal(8.0 / 9, JsonDocument.Parse(chosen.Output).RootElement.GetProperty("metrics").GetProperty("rocAuc").GetDouble(), 1e-12);
        all.AssertRefused("evaluate", "The dataset does not fit the model");
    }

    [Fact]
    public async Task A_regressor_reports_rmse_mae_and_r2_and_a_table()
    {
        // ŷ = 2x + 1 = 1, 3, 5, 7 against y = 1, 3, 6, 7: one residual of 1.
        var model = Model("regressor.onnx", HandBuiltOnnx.LinearRegressor([2], 1));
        var data = Csv("regression.csv", "x,y", ["0,1", "1,3", "2,6", "3,7"]);

        var json = await CommandRun.EvaluateAsync("--model", model, "--data", data, "--label", "y", "--task", "regression", "--device", "cpu", "--batch-size", "3");
        var table = await CommandRun.EvaluateAsync("--model", model, "--data", data, "--label", "y", "--device", "cpu", "--format", "table");

        var root = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(("regression", 4), (root.GetProperty("task").GetString(), root.GetProperty("rows").GetInt64()));
        var metrics = root.GetProperty("metrics");
        Assert.Equal(["rmse", "mae", "r2"], Names(metrics));
        Assert.Equal(0.5, metrics.GetProperty("rmse").GetDouble(), 1e-12);
        Assert.Equal(0.25, metrics.GetProperty("mae").GetDouble(), 1e-12);
        Assert.Equal(1 - 1 / 22.75, metrics.GetProperty("r2").GetDouble(), 1e-12); // Σ(y − 4.25)² = 22.75

        Assert.Equal((0, ""), (table.ExitCode, table.Error));
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["task", "rows", "device", "rmse", "mae", "r2", "throughput", "latency"], lines.Select(l => l.Split(' ')[0]));
        Assert.Equal("task        regression", lines[0]);
        Assert.Equal("rmse        0.5", lines[3]);
        Assert.Matches(@"^latency     p50 [0-9.E-]+ ms, p95 [0-9.E-]+ ms, p99 [0-9.E-]+ ms$", lines[7]);
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["--model", "{model}", "--data", "{data}", "--label", "target"], "label column 'target' is not in the data file (its columns: x0, x1, x2, y)" },
        { ["--model", "{model}", "--data", "{unknown-label}", "--label", "y"], "The label '2' at data row 2 (column 'y') is not one of the model's classes" },
        { ["--model", "{dir}/missing.onnx", "--data", "{data}", "--label", "y"], "model file '{dir}/missing.onnx' does not exist" },
        { ["--model", "{model}", "--data", "{dir}/missing.csv", "--label", "y"], "data file '{dir}/missing.csv' does not exist" },
        { ["--model", "{not-a-model}", "--data", "{data}", "--label", "y"], "The model file is not a readable ONNX model" },
        { ["--model", "{model}", "--data", "{empty}", "--label", "y"], "data file '{empty}' cannot be read: The file has a header but no data rows." },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "--task", "regression"], "The run asked for a Regression evaluation but the model produces scores for 2 classes" },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "--features", "x0,nope"], "feature column 'nope' is not in the data file" },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "--features", "x0,y"], "'y' is the label; it cannot also be a feature" },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "--batch-size", "0"], "option '--batch-size' must be a whole number of at least 1, not '0'" },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "--device", "gpu"], "option '--device' must be one of auto, cpu, cuda, not 'gpu'" },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "--task", "ranking"], "option '--task' must be one of binary, multiclass, regression, not 'ranking'" },
        { ["--model", "{model}", "--data", "{data}"], "option '--label' is required" },
        { ["--model", "{model}", "--data", "{data}", "--label", "y", "extra"], "unexpected argument 'extra'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_exits_2_with_one_line_saying_why(string[] args, string reason)
    {
        var files = new Dictionary<string, string>
        {
            ["{model}"] = Classifier(),
            ["{not-a-model}"] = Model("text.onnx", "not a model"u8.ToArray()),
            ["{data}"] = ClassifierData(),
            ["{unknown-label}"] = Csv("labels.csv", "x0,x1,x2,y", ["1,0,0,1", "1,0,0,2"]),
            ["{empty}"] = Csv("empty.csv", "x0,x1,x2,y", []),
            ["{dir}"] = _dir.Path,
        };
        string Fill(string text) => files.Aggregate(text, (t, f) => t.Replace(f.Key, f.Value, StringComparison.Ordinal));

        var run = await CommandRun.EvaluateAsync([.. args.Select(Fill)]);

        run.AssertRefused("evaluate", Fill(reason));
    }

    public void Dispose() => _dir.Dispose();

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private string Model(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Csv(string name, string header, IEnumerable<string> rows)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, header + "\n" + string.Join("", rows.Select(r => r + "\n")));
        return path;
    }
}
