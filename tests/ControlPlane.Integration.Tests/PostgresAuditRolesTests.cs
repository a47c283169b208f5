using System.Diagnostics;
using ControlPlane.Domain.Audit;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// scripts/postgres-audit-roles.sql on the PostgreSQL server: the application's role may append to and read the
/// audit table, and the server refuses everything else it used to be able to do as the table's owner.
/// </summary>
public sealed class PostgresAuditRolesTests
{
    [Fact]
    public async Task The_app_role_appends_and_reads_but_cannot_change_disable_or_drop_the_audit_table()
    {
        var admin = await PostgresServer.CreateDatabaseAsync();
        await using var owner = await DomainHost.StartAsync(new Dictionary<string, string?> { ["Database:Provider"] = "PostgreSql", ["ConnectionStrings:ControlPlane"] = admin });
        await owner.Services.GetRequiredService<AuditLog>().RecordAsync("test.before");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (appRole, auditOwner) = ($"cp_app_{suffix}", $"cp_audit_{suffix}");
        var database = new NpgsqlConnectionStringBuilder(admin).Database!;
        await ExecuteAsync(admin,
            $"CREATE ROLE {appRole} LOGIN",
            $"GRANT CONNECT ON DATABASE \"{database}\" TO {appRole}",
            $"GRANT USAGE ON SCHEMA public TO {appRole}",
            // Everything else as an application needs it, the audit table included until the script runs.
            $"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {appRole}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {appRole}");

        var (code, output) = await PsqlAsync(admin, appRole, auditOwner);
        Assert.True(code == 0, output);

        var app = new NpgsqlConnectionStringBuilder(admin) { Username = appRole }.ToString();
        string[] refused =
        [
            "UPDATE \"AuditEvents\" SET \"ActorName\" = 'mallory'",
            "DELETE FROM \"AuditEvents\"",
            "TRUNCATE \"AuditEvents\"",
            "ALTER TABLE \"AuditEvents\" DISABLE TRIGGER USER",
            "DROP TRIGGER \"AuditEvents_append_only\" ON \"AuditEvents\"",
            "DROP TABLE \"AuditEvents\"",
            "ALTER TABLE \"AuditEvents\" OWNER TO CURRENT_USER",
        ];
        foreach (var sql in refused)
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, sql));
            Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
        }

        // The application itself still works as that role: it appends, signs a digest and verifies.
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:ControlPlane"] = app,
            ["Database:MigrateOnStartup"] = "false",
            ["ControlPlane:Audit:KeyDirectory"] = owner.Services.GetRequiredService<AuditKeyRing>().Directory,
        });
        await host.Services.GetRequiredService<AuditLog>().RecordAsync("test.as_app");
        var result = await host.VerifyAuditAsync();
        Assert.True(result.Intact, result.Problem);
    }

    private static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<(int, string)> PsqlAsync(string connectionString, string appRole, string auditOwner)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-h", cs.Host!, "-p", cs.Port.ToString(), "-U", cs.Username!, "-d", cs.Database!, "-v", "ON_ERROR_STOP=1",
                     "-v", $"app_role={appRole}", "-v", $"audit_owner={auditOwner}", "-f", Path.Combine(RepoPaths.Root, "scripts", "postgres-audit-roles.sql") })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
