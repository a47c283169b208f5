using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Audit;

/// <summary>
/// The SQLite tamper suite again, with verification split into ranges of three rows, so every tampered row
/// sits at, next to, or across a range boundary of the parallel verifier.
/// </summary>
public sealed class SqliteAuditTamperAcrossRangesTests : SqliteAuditTamperTests
{
    protected override AuditVerifier VerifierOf(DomainHost host) =>
        new(host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>(), host.Services.GetRequiredService<AuditKeyRing>(),
            host.Services.GetRequiredService<IOptions<AuditOptions>>(), host.Time) { RangeSize = 3 };
}
