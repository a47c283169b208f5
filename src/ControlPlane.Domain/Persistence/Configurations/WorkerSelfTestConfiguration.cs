using ControlPlane.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class WorkerSelfTestConfiguration : IEntityTypeConfiguration<WorkerSelfTest>
{
    public void Configure(EntityTypeBuilder<WorkerSelfTest> builder)
    {
        builder.ToTable("WorkerSelfTests");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Queue).HasMaxLength(32).IsRequired();
        builder.Property(t => t.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(t => t.JobId).HasMaxLength(64);
        builder.Property(t => t.ProcessedByServer).HasMaxLength(256);
        builder.HasIndex(t => t.RequestedAtUtc);
    }
}
