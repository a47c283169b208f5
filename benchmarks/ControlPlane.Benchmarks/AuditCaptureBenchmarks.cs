using BenchmarkDotNet.Attributes;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Benchmarks;

/// <summary>
/// What audit capture adds to a typical mutating request's database work: insert one row and commit
/// (SQLite, WAL, synchronous=FULL), with the audit interceptor (lock, head read, hash, audit row in the
/// same transaction) against the same save without it.
/// </summary>
[MemoryDiagnoser]
public class AuditCaptureBenchmarks
{
    private BenchDatabase _database = null!;
    private string _userId = "";

    [GlobalSetup]
    public void Setup()
    {
        _database = new BenchDatabase();
        using var db = _database.CreateContext(audited: false);
        var user = new ControlPlaneUser { UserName = "bench", NormalizedUserName = "BENCH", CreatedAtUtc = DateTime.UtcNow };
        db.Users.Add(user);
        db.SaveChanges();
        _userId = user.Id;
    }

    [Benchmark(Baseline = true)]
    public Task SaveWithoutAudit() => SaveAsync(audited: false);

    [Benchmark]
    public Task SaveWithAudit() => SaveAsync(audited: true);

    private async Task SaveAsync(bool audited)
    {
        await using var db = _database.CreateContext(audited);
        var id = Guid.NewGuid();
        db.PersonalAccessTokens.Add(new PersonalAccessToken
        {
            Id = id, UserId = _userId, Name = "benchmark token", TokenHash = id.ToString("N") + id.ToString("N"),
            DisplayPrefix = "cpat_abcd", CreatedAtUtc = DateTime.UtcNow, ExpiresAtUtc = DateTime.UtcNow.AddDays(30),
        });
        await db.SaveChangesAsync();
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();
}
