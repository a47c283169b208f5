using ControlPlane.Domain.Drift;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class DriftRunConfiguration : IEntityTypeConfiguration<DriftRun>
{
    public void Configure(EntityTypeBuilder<DriftRun> builder)
    {
        builder.ToTable("DriftRuns");
        builder.HasKey(r => r.Id);
        builder.HasOne(r => r.Monitor).WithMany().HasForeignKey(r => r.MonitorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.MonitorId, r.RequestedAtUtc });
        builder.Property(r => r.Trigger).HasMaxLength(32).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Error).HasMaxLength(4000);
        builder.Property(r => r.JobId).HasMaxLength(64);
        builder.Property(r => r.RequestedBy).HasMaxLength(256).IsRequired();
    }
}
