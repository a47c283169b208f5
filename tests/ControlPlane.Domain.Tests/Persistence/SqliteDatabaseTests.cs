using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Persistence;

public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task Start_up_creates_the_data_directory_and_migrates_a_real_file()
    {
        await using var host = await DomainHost.StartAsync();
        var settings = host.Services.GetRequiredService<DatabaseSettings>();

        Assert.True(File.Exists(Path.Combine(settings.DataDirectory, ControlPlaneDatabase.SqliteFileName)));
        await using var db = await Contexts(host).CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(3, await db.Roles.CountAsync());
    }

    [Fact]
    public async Task Connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout()
    {
        await using var host = await DomainHost.StartAsync();
        await using var db = await Contexts(host).CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();

        Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
        Assert.Equal("2", await PragmaAsync(db, "synchronous")); // 2 = FULL
        Assert.Equal("1", await PragmaAsync(db, "foreign_keys"));
        Assert.Equal("30000", await PragmaAsync(db, "busy_timeout"));
    }

    [Fact]
    public async Task A_row_pointing_at_a_missing_parent_is_rejected()
    {
        await using var host = await DomainHost.StartAsync();
        await using var db = await Contexts(host).CreateDbContextAsync();
        db.PersonalAccessTokens.Add(new PersonalAccessToken
        {
            Id = Guid.NewGuid(), UserId = "no-such-user", Name = "t", TokenHash = new string('a', 64), DisplayPrefix = "cpat_x",
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Utc_timestamps_sort_in_sql_and_come_back_as_utc()
    {
        await using var host = await DomainHost.StartAsync();
        await using var db = await Contexts(host).CreateDbContextAsync();
        var user = new ControlPlaneUser { Id = "u1", UserName = "u1", NormalizedUserName = "U1", CreatedAtUtc = DateTime.UtcNow };
        db.Users.Add(user);
        // Inserted out of order, across a year boundary and with sub-second differences.
        var instants = new[]
        {
            new DateTime(2026, 1, 1, 0, 0, 0, 1, DateTimeKind.Utc),
            new DateTime(2025, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc),
            new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc),
        };
        foreach (var (at, i) in instants.Select((at, i) => (at, i)))
            db.PersonalAccessTokens.Add(new PersonalAccessToken
            {
                Id = Guid.NewGuid(), UserId = user.Id, Name = $"t{i}", TokenHash = i.ToString().PadLeft(64, '0'),
                DisplayPrefix = "cpat_", CreatedAtUtc = at, ExpiresAtUtc = at.AddDays(1),
            });
        await db.SaveChangesAsync();

        var query = db.PersonalAccessTokens.AsNoTracking().OrderBy(t => t.CreatedAtUtc).Select(t => t.CreatedAtUtc);
        var sorted = await query.ToListAsync();

        Assert.Contains("ORDER BY", query.ToQueryString());
        Assert.Equal(instants.Order(), sorted);
        Assert.All(sorted, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
    }

    private static IDbContextFactory<ControlPlaneDbContext> Contexts(DomainHost host) =>
        host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();

    private static async Task<string> PragmaAsync(ControlPlaneDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
