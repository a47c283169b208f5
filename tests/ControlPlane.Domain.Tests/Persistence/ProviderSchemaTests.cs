using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPlane.Domain.Tests.Persistence;

public sealed class ProviderSchemaTests
{
    public static TheoryData<DatabaseProvider, string> Providers => new()
    {
        { DatabaseProvider.Sqlite, "Data Source=:memory:" },
        { DatabaseProvider.SqlServer, "Server=localhost;Database=ControlPlane;Trusted_Connection=True;TrustServerCertificate=True" },
        { DatabaseProvider.PostgreSql, "Host=localhost;Database=controlplane;Username=controlplane" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Each_provider_has_no_model_changes_missing_from_its_migrations(DatabaseProvider provider, string connectionString)
    {
        using var db = Create(provider, connectionString);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model differs from the {provider} migrations: run scripts/add-migration.sh <Name>.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Each_provider_loads_migrations_from_its_own_assembly(DatabaseProvider provider, string connectionString)
    {
        using var db = Create(provider, connectionString);

        var migrations = db.GetService<IMigrationsAssembly>();

        Assert.Equal(ControlPlaneDatabase.MigrationsAssembly(provider), migrations.Assembly.GetName().Name);
        Assert.NotEmpty(migrations.Migrations);
    }

    [Fact]
    public void The_sql_server_script_is_generated_without_a_server_and_creates_every_table()
    {
        using var db = Create(DatabaseProvider.SqlServer, ProvidersConnection(DatabaseProvider.SqlServer));

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).Where(t => t is not null).Distinct())
            Assert.Contains($"CREATE TABLE [{table}]", script);
        // UTC instants are datetime2 (sortable), never the offset-less legacy datetime type.
        Assert.Contains("[CreatedAtUtc] datetime2 NOT NULL", script);
        Assert.DoesNotContain(" datetime NOT NULL", script);
        // The audit table is append-only on SQL Server too.
        Assert.Contains("CREATE TRIGGER [AuditEvents_append_only] ON [AuditEvents] INSTEAD OF UPDATE, DELETE", script);
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("")]
    [InlineData("1")]
    public void An_unknown_provider_is_a_clear_start_up_error(string name)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ControlPlaneDatabase.ParseProvider(name));

        Assert.Contains("Sqlite, SqlServer, PostgreSql", error.Message);
    }

    [Theory]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("SqlServer", DatabaseProvider.SqlServer)]
    [InlineData("postgresql", DatabaseProvider.PostgreSql)]
    public void Provider_names_are_case_insensitive(string name, DatabaseProvider expected) =>
        Assert.Equal(expected, ControlPlaneDatabase.ParseProvider(name));

    [Fact]
    public void A_server_provider_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ControlPlaneDatabase.ResolveConnectionString(DatabaseProvider.PostgreSql, null, Path.GetTempPath()));

        Assert.Contains("ConnectionStrings:ControlPlane", error.Message);
    }

    private static string ProvidersConnection(DatabaseProvider provider) =>
        Providers.Single(row => (DatabaseProvider)row[0] == provider)[1].ToString()!;

    /// <summary>A context for the provider that needs no server: enough to translate queries and compare models.</summary>
    internal static ControlPlaneDbContext Create(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, provider, connectionString);
        return new ControlPlaneDbContext(options.Options);
    }
}
