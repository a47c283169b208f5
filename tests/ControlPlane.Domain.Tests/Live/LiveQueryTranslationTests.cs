using System.Text.RegularExpressions;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Tests.Live;

/// <summary>The watcher's query is one statement on every provider (translated without a server).</summary>
public sealed class LiveQueryTranslationTests
{
    [Theory]
    [MemberData(nameof(ProviderSchemaTests.Providers), MemberType = typeof(ProviderSchemaTests))]
    public void Every_kind_is_read_in_one_union_all_statement(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, provider, connectionString);
        using var db = new ControlPlaneDbContext(options.Options);
        LiveSubject[] subjects =
        [
            LiveSubject.DatasetProfile(Guid.NewGuid()), LiveSubject.Evaluation(Guid.NewGuid()), LiveSubject.DriftRun(Guid.NewGuid()),
            LiveSubject.DriftMonitor(Guid.NewGuid()), LiveSubject.Notifications,
        ];

        var sql = DatabaseLiveStateSource.Query(db, subjects)!.ToQueryString();

        Assert.Equal(5, Regex.Matches(sql, "UNION ALL").Count); // six parts: a monitor is its row and its active runs
    }

    [Fact]
    public void Subjects_of_kinds_it_cannot_read_send_no_query()
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, DatabaseProvider.Sqlite, "Data Source=:memory:");
        using var db = new ControlPlaneDbContext(options.Options);

        Assert.Null(DatabaseLiveStateSource.Query(db, [new LiveSubject("training", Guid.NewGuid())]));
    }
}
