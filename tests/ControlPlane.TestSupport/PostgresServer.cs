using Npgsql;

namespace ControlPlane.TestSupport;

/// <summary>
/// The PostgreSQL server that scripts/test.sh starts. Each test gets a database of its own.
/// A missing server is a failure, never a skip: the test command always provides one.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "CONTROLPLANE_TEST_POSTGRES";

    public static string AdminConnectionString => TestScriptVariable.Require(Variable, "starts a throwaway PostgreSQL server");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = $"cp_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ToString();
    }
}
