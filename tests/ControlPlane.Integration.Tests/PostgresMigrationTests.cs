using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlPlane.Integration.Tests;

public sealed class PostgresMigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_server_database_and_leave_nothing_pending()
    {
        await using var db = await MigratedAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(ControlPlaneRoles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
    }

    [Fact]
    public async Task Migrating_twice_is_harmless()
    {
        await using var db = await MigratedAsync();

        await db.Database.MigrateAsync();

        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Utc_timestamps_are_timestamptz_and_sort_in_sql()
    {
        await using var db = await MigratedAsync();
        db.Users.Add(new ControlPlaneUser { Id = "u1", UserName = "u1", NormalizedUserName = "U1", CreatedAtUtc = DateTime.UtcNow });
        var instants = new[]
        {
            new DateTime(2026, 3, 29, 1, 30, 0, DateTimeKind.Utc),
            new DateTime(2025, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc),
            new DateTime(2026, 3, 29, 1, 29, 59, DateTimeKind.Utc),
        };
        for (var i = 0; i < instants.Length; i++)
            db.PersonalAccessTokens.Add(new PersonalAccessToken
            {
                Id = Guid.NewGuid(), UserId = "u1", Name = $"t{i}", TokenHash = i.ToString().PadLeft(64, '0'),
                DisplayPrefix = "cpat_", CreatedAtUtc = instants[i], ExpiresAtUtc = instants[i].AddDays(1),
            });
        await db.SaveChangesAsync();

        var sorted = await db.PersonalAccessTokens.OrderBy(t => t.CreatedAtUtc).Select(t => t.CreatedAtUtc).ToListAsync();
        Assert.Equal(instants.Order(), sorted);
        Assert.All(sorted, t => Assert.Equal(DateTimeKind.Utc, t.Kind));

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT data_type FROM information_schema.columns WHERE table_name = 'PersonalAccessTokens' AND column_name = 'CreatedAtUtc'";
        await db.Database.OpenConnectionAsync();
        Assert.Equal("timestamp with time zone", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Foreign_keys_are_enforced_by_the_server()
    {
        await using var db = await MigratedAsync();
        db.PersonalAccessTokens.Add(new PersonalAccessToken
        {
            Id = Guid.NewGuid(), UserId = "missing", Name = "t", TokenHash = new string('b', 64), DisplayPrefix = "cpat_",
        });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
    }

    private static async Task<ControlPlaneDbContext> MigratedAsync()
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, DatabaseProvider.PostgreSql, await PostgresServer.CreateDatabaseAsync());
        var db = new ControlPlaneDbContext(options.Options);
        await db.Database.MigrateAsync();
        return db;
    }
}
