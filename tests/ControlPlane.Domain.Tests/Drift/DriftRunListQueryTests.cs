using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Tests.Drift;

/// <summary>A run's Results can be megabytes: the runs list reads every other column, and Results only when asked.</summary>
public sealed class DriftRunListQueryTests
{
    [Theory]
    [MemberData(nameof(ProviderSchemaTests.Providers), MemberType = typeof(ProviderSchemaTests))]
    public void The_run_rows_query_does_not_select_the_results_column(DatabaseProvider provider, string connectionString)
    {
        using var db = ProviderSchemaTests.Create(provider, connectionString);

        var sql = DriftMonitors.RunRows(db.DriftRuns.Where(r => r.MonitorId == Guid.Empty)).ToQueryString();

        Assert.DoesNotContain("Results", sql);
        Assert.Contains("RequestedBy", sql);
        Assert.Contains("DriftedColumns", sql);
    }
}
