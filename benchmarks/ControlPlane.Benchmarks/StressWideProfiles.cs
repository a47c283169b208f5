using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// The widest files that are still profiled inside the upload request: 2,000 columns (the column limit) and as many
/// rows as fit under the inline limit (16 MiB of CSV; for Parquet, 8 bytes a cell). Distinct numbers fill the exact
/// quantile buffers; distinct strings fill a category count per column; one-digit cells are the most cells 16 MiB holds.
/// </summary>
internal static class StressWideProfiles
{
    private const int Columns = 2_000;
    private const long InlineBytes = 16L << 20;

    public static async Task RunAsync(WebAppUnderTest server)
    {
        var http = server.Http;
        await StressScenario.Send(http, HttpMethod.Post, "/api/v1/datasets", new { name = "wide" });
        foreach (var (name, file, fileName) in new (string, Func<Task<byte[]>>, string)[]
        {
            ("CSV, 2,000 columns of distinct numbers", () => Task.FromResult(Csv(row => col => (row * Columns + col).ToString(CultureInfo.InvariantCulture))), "numbers.csv"),
            ("CSV, 2,000 columns of one digit (the most cells a byte)", () => Task.FromResult(Csv(row => col => ((row + col) % 10).ToString(CultureInfo.InvariantCulture))), "digits.csv"),
            ("CSV, 2,000 columns of distinct strings", () => Task.FromResult(Csv(row => col => $"c{row * Columns + col}")), "strings.csv"),
            ("Parquet, 2,000 double columns", () => ParquetAsync(strings: false), "numbers.parquet"),
            ("Parquet, 2,000 string columns", () => ParquetAsync(strings: true), "strings.parquet"),
        })
        {
            var bytes = await file();
            await StressScenario.MeasureAsync(server, $"{name}, {bytes.Length / 1024.0 / 1024:F1} MiB", async () =>
            {
                using var response = await StressScenario.UploadAsync(http, "/api/v1/datasets/wide/versions", bytes, fileName);
                var answer = StressScenario.Describe(response);
                return (int)response.StatusCode == 201 ? $"201, profile {System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["profileStatus"]}" : answer;
            });
        }
    }

    /// <summary>Rows of 2,000 cells, as many as keep the file within the inline limit.</summary>
    private static byte[] Csv(Func<int, Func<int, string>> cells)
    {
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, Columns).Select(c => $"c{c}"))).Append('\n');
        for (var row = 0; ; row++)
        {
            var line = string.Join(',', Enumerable.Range(0, Columns).Select(cells(row))) + "\n";
            if (text.Length + line.Length > InlineBytes) // ASCII: a character is a byte
                return Encoding.ASCII.GetBytes(text.ToString());
            text.Append(line);
        }
    }

    /// <summary>2,000 columns × the rows whose 8 bytes a cell fit the inline limit, in one row group.</summary>
    private static async Task<byte[]> ParquetAsync(bool strings)
    {
        var rows = (int)(InlineBytes / (Columns * 8L));
        var fields = Enumerable.Range(0, Columns).Select(c => strings ? (DataField)new DataField<string>($"c{c}") : new DataField<double>($"c{c}")).ToArray();
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        using (var group = writer.CreateRowGroup())
            for (var c = 0; c < Columns; c++)
            {
                var column = c;
                if (strings)
                    await group.WriteAsync((DataField<string>)fields[c], Enumerable.Range(0, rows).Select(r => $"c{r * Columns + column}").ToArray());
                else
                    await group.WriteAsync<double>((DataField<double>)fields[c], Enumerable.Range(0, rows).Select(r => (double)(r * Columns + column)).ToArray());
            }
        return stream.ToArray();
    }
}
