using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Training;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>
/// Small data sets that look like real ones, generated with a seed from known rules, so a test knows what a good
/// model must achieve: churn (binary), species (multiclass), house prices (regression), reviews (text).
/// </summary>
internal sealed class TrainingData(string prefix = "cp-train") : IDisposable
{
    private readonly TempDirectory _dir = new(prefix);

    public string Path(string name) => _dir.File(name);

    public static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>tenure (some missing), monthlyCharges, contract → churned; churn falls with tenure and a longer contract.</summary>
    public string Churn(int rows, int seed, string name = "churn.csv") => Write(name, "tenure,monthlyCharges,contract,churned", rows, seed, random =>
    {
        var tenure = random.Next(0, 73);
        var charges = 20 + random.NextDouble() * 100;
        var contract = new[] { "monthly", "yearly", "two-year" }[random.Next(3)];
        var logit = 2.0 - 0.08 * tenure + 0.03 * (charges - 70) + contract switch { "monthly" => 1.0, "yearly" => -0.5, _ => -1.5 };
        var churned = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
        return $"{(random.NextDouble() < 0.05 ? "" : tenure.ToString(CultureInfo.InvariantCulture))},{N(charges)},{contract},{(churned ? "true" : "false")}";
    });

    /// <summary>petalLength, petalWidth, region → species, separated by petal size with some overlap.</summary>
    public string Species(int rows, int seed, string name = "species.csv") => Write(name, "petalLength,petalWidth,region,species", rows, seed, random =>
    {
        var k = random.Next(3);
        var (length, width) = (1.5 + 2.5 * k + Gaussian(random) * 0.6, 0.3 + 0.9 * k + Gaussian(random) * 0.25);
        var region = new[] { "north", "south" }[random.Next(2)];
        return $"{N(length)},{N(width)},{region},{new[] { "setosa", "versicolor", "virginica" }[k]}";
    });

    /// <summary>area, rooms, city → price (thousands) = area + 5·rooms + city premium + noise(σ = 8).</summary>
    public string Houses(int rows, int seed, string name = "houses.csv") => Write(name, "area,rooms,city,price", rows, seed, random =>
    {
        var area = 50 + random.NextDouble() * 200;
        var rooms = random.Next(1, 7);
        var city = new[] { "lyon", "paris", "lille" }[random.Next(3)];
        var price = area + 5 * rooms + city switch { "paris" => 120, "lyon" => 40, _ => 0 } + Gaussian(random) * 8;
        return $"{N(area)},{rooms},{city},{N(price)}";
    });

    public const double HouseNoise = 8;

    /// <summary>stars and a free-text review → recommended.</summary>
    public string Reviews(int rows, int seed, string name = "reviews.csv") => Write(name, "stars,review,recommended", rows, seed, random =>
    {
        var good = random.NextDouble() < 0.5;
        var words = good ? new[] { "great", "lovely", "works well", "excellent value" } : new[] { "broken", "awful", "refund please", "stopped working" };
        var review = $"{words[random.Next(words.Length)]} item {random.Next(1000)}";
        return $"{(good ? random.Next(3, 6) : random.Next(1, 4))},{review},{(good ? "true" : "false")}";
    });

    public static async Task<TrainingInput> InputAsync(string path, TrainingTask task, string label, string trainer, (string Name, FeatureTreatment Treatment)[] features,
        IReadOnlyDictionary<string, double>? hyperparameters = null, int seed = 7, int? folds = null)
    {
        var schema = await SchemaAsync(path);
        var definition = TrainingRules.Validate(new TrainingDefinitionInput(task, label, [.. features.Select(f => new TrainingFeature(f.Name, f.Treatment))],
            trainer, hyperparameters, 0.25, folds, seed), schema, "test data");
        return new TrainingInput(path, DatasetFormat.Csv, schema, definition) { BatchSize = 97 };
    }

    public static async Task<IReadOnlyList<DatasetColumn>> SchemaAsync(string path)
    {
        var scan = await DatasetScanner.ScanAsync(path);
        return [.. scan.Columns.Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType, ColumnRole.Feature, c.MissingCount))];
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string header, int rows, int seed, Func<Random, string> row)
    {
        var random = new Random(seed);
        var path = _dir.File(name);
        var text = new StringBuilder(header).Append('\n');
        for (var i = 0; i < rows; i++)
            text.Append(row(random)).Append('\n');
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
