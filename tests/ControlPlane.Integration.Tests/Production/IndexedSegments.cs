using ControlPlane.Domain.Persistence;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Integration.Tests.Production;

/// <summary>One live telemetry file as the index of a web process's SQLite database names it.</summary>
internal sealed record IndexedSegment(DateTime Hour, long Rows, string Path, string Sha256);

/// <summary>Reads the telemetry index straight from a (stopped or running) web process's SQLite file, read-only.</summary>
internal static class IndexedSegments
{
    public static async Task<List<IndexedSegment>> OfAsync(string dataDirectory, string model)
    {
        await using var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(dataDirectory, ControlPlaneDatabase.SqliteFileName)};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s."HourUtc", s."Rows", s."Path", s."Sha256" FROM "TelemetrySegments" s JOIN "Models" m ON m."Id" = s."ModelId"
            WHERE m."Name" = $model AND s."CompactedIntoId" IS NULL ORDER BY s."HourUtc"
            """;
        command.Parameters.AddWithValue("$model", model);
        var segments = new List<IndexedSegment>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            segments.Add(new IndexedSegment(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
        return segments;
    }
}
