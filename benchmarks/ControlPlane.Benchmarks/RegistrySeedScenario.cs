using System.Diagnostics;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Seeds a data directory with N models and M versions each (rows only, as the registry writes them), for
/// load-testing the list endpoints of a running app with wrk: see docs/benchmarks.md.
/// </summary>
internal static class RegistrySeedScenario
{
    public static async Task RunAsync(string dataDirectory, int models, int versionsPerModel)
    {
        var connectionString = ControlPlaneDatabase.ResolveConnectionString(DatabaseProvider.Sqlite, null, dataDirectory);
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, DatabaseProvider.Sqlite, connectionString);
        await using (var db = new ControlPlaneDbContext(options.Options))
            await db.Database.MigrateAsync();

        var watch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        var signature = new ModelSignature([new TensorSpec("float_input", "float", [-1, 3])], [new TensorSpec("label", "int64", [-1])]).ToJson();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var m = 0; m < models; m++)
        {
            var modelId = Guid.CreateVersion7();
            var name = $"model-{m:D5}";
            await ExecAsync(connection, "INSERT INTO \"Models\" (\"Id\",\"Name\",\"NormalizedName\",\"Description\",\"Owner\",\"CreatedAtUtc\",\"UpdatedAtUtc\",\"LatestVersionNumber\",\"ConcurrencyStamp\") VALUES ($id,$n,$nn,$d,'seed',$t,$t,$v,$c)",
                ("$id", modelId), ("$n", name), ("$nn", name.ToUpperInvariant()), ("$d", $"seeded model {m}"), ("$t", start.AddMinutes(m)), ("$v", versionsPerModel), ("$c", Guid.NewGuid()));
            await ExecAsync(connection, "INSERT INTO \"ModelTags\" (\"ModelId\",\"Key\",\"Value\") VALUES ($id,'team',$v)", ("$id", modelId), ("$v", $"team-{m % 20}"));
            for (var v = 1; v <= versionsPerModel; v++)
            {
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(m * 1000 + v)));
                await ExecAsync(connection, "INSERT INTO \"ModelVersions\" (\"Id\",\"ModelId\",\"Number\",\"Flavor\",\"ArtifactSha256\",\"ArtifactSize\",\"ArtifactFileName\",\"Signature\",\"Parameters\",\"Metrics\",\"Stage\",\"CreatedBy\",\"CreatedAtUtc\",\"ConcurrencyStamp\") VALUES ($id,$m,$n,'Onnx',$sha,1234,'model.onnx',$sig,'{}',$metrics,$stage,'seed',$t,$c)",
                    ("$id", Guid.CreateVersion7()), ("$m", modelId), ("$n", v), ("$sha", sha), ("$sig", signature), ("$metrics", $"{{\"auc\":{0.7 + v / 100.0}}}"),
                    ("$stage", v == versionsPerModel ? "Staging" : v == 1 ? "Archived" : "None"), ("$t", start.AddMinutes(m).AddSeconds(v)), ("$c", Guid.NewGuid()));
            }
        }
        await tx.CommitAsync();
        Console.WriteLine($"seeded {models:N0} models and {models * versionsPerModel:N0} versions into {dataDirectory} in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }
}
