using System.Diagnostics;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Scenario: verify a chain of N events in a real SQLite file, streamed. Reference in the same run: a plain
/// read of the same rows with no hashing (the floor set by the database), and hashing alone in memory.
/// </summary>
internal static class AuditVerifyScenario
{
    public static async Task RunAsync(int events, int repeats)
    {
        using var database = new BenchDatabase();
        var seed = Stopwatch.StartNew();
        var keys = new AuditKeyRing(Path.Combine(database.Directory, "audit-keys"), null, TimeProvider.System);
        await SeedAsync(database, events, keys);
        Console.WriteLine($"seeded {events:N0} chained events in {seed.Elapsed.TotalSeconds:F1} s ({new FileInfo(Path.Combine(database.Directory, ControlPlaneDatabase.SqliteFileName)).Length / 1048576.0:F0} MiB)");

        var verifier = new AuditVerifier(new Factory(database), keys, Microsoft.Extensions.Options.Options.Create(new AuditOptions()), TimeProvider.System);
        for (var i = 0; i < repeats; i++)
        {
            var read = await TimeAsync(() => ReadOnlyAsync(database));
            var verify = await TimeAsync(async () =>
            {
                // No digests in this scenario: a consistent chain is "unanchored"; the MACs are checked all the same.
                var result = await verifier.VerifyAsync(anchors: null);
                if (result.State != AuditVerification.UnanchoredState || result.EventsChecked != events)
                    throw new InvalidOperationException($"unexpected verification result: {result}");
            });
            Console.WriteLine($"run {i + 1}: verify {verify.TotalSeconds:F2} s ({events / verify.TotalSeconds:N0} events/s); plain read of the same rows {read.TotalSeconds:F2} s");
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed;
    }

    private static async Task ReadOnlyAsync(BenchDatabase database)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Sequence\", \"OccurredAtUtc\", \"ActorId\", \"ActorName\", \"Action\", \"EntityType\", \"EntityId\", \"Changes\", \"Reason\", \"CorrelationId\", \"ClientIp\", \"PreviousHash\", \"Hash\" FROM \"AuditEvents\" ORDER BY \"Sequence\"";
        await using var reader = await command.ExecuteReaderAsync();
        long total = 0;
        while (await reader.ReadAsync())
            total += reader.GetString(7).Length + reader.GetString(12).Length;
        GC.KeepAlive(total);
    }

    /// <summary>Realistic rows (an entity update with four field changes) written in batches with the chain computed as the interceptor does.</summary>
    private static async Task SeedAsync(BenchDatabase database, int events, AuditKeyRing keys)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        var previous = AuditChain.GenesisHash;
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        const int batch = 10_000;
        for (var first = 1; first <= events; first += batch)
        {
            await using var tx = connection.BeginTransaction();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO \"AuditEvents\" (\"Sequence\", \"OccurredAtUtc\", \"ActorId\", \"ActorName\", \"Action\", \"EntityType\", \"EntityId\", \"Changes\", \"Reason\", \"CorrelationId\", \"ClientIp\", \"PreviousHash\", \"Hash\", \"KeyId\", \"Mac\") " +
                "VALUES ($s, $t, $ai, $an, $a, $et, $ei, $c, $r, $ci, $ip, $p, $h, $k, $m)";
            var p = new[] { "$s", "$t", "$ai", "$an", "$a", "$et", "$ei", "$c", "$r", "$ci", "$ip", "$p", "$h", "$k", "$m" }
                .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            for (var s = first; s < first + batch && s <= events; s++)
            {
                var id = $"{s % 5000:D8}-model-version";
                var e = new AuditEvent
                {
                    Sequence = s, OccurredAtUtc = start.AddMilliseconds(s * 37), ActorId = "9b1c7c52-1d55-4d0e-9f0e-1a2b3c4d5e6f",
                    ActorName = "ada.lovelace", Action = "modelVersion.updated", EntityType = "modelVersion", EntityId = id,
                    Changes = AuditChange.ToJson([
                        new AuditChange("modelVersion", id, "Stage", "Staging", "Production"),
                        new AuditChange("modelVersion", id, "UpdatedAtUtc", "2026-01-01T00:00:00.0000000Z", "2026-01-02T00:00:00.0000000Z"),
                        new AuditChange("modelVersion", id, "Description", "baseline", $"retrained on month {s % 12}"),
                        new AuditChange("modelVersion", id, "Version", null, s.ToString()),
                    ]),
                    Reason = s % 3 == 0 ? "approved by change board" : null, CorrelationId = "0af7651916cd43dd8448eb211c80319c", ClientIp = "10.20.30.40",
                    PreviousHash = previous, KeyId = keys.ActiveKeyId,
                };
                e.Hash = previous = AuditChain.ComputeHash(e);
                e.Mac = keys.Mac(e.Hash);
                object?[] values = [e.Sequence, e.OccurredAtUtc, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Changes, e.Reason, e.CorrelationId, e.ClientIp, e.PreviousHash, e.Hash, e.KeyId, e.Mac];
                for (var i = 0; i < values.Length; i++)
                    p[i].Value = values[i] ?? DBNull.Value;
                await command.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
    }

    private sealed class Factory(BenchDatabase database) : IDbContextFactory<ControlPlaneDbContext>
    {
        public ControlPlaneDbContext CreateDbContext() => database.CreateContext(audited: true);
    }
}
