using ControlPlane.Domain.Costs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class JobUsageConfiguration : IEntityTypeConfiguration<JobUsage>
{
    public void Configure(EntityTypeBuilder<JobUsage> builder)
    {
        builder.ToTable("JobUsages");
        builder.HasKey(u => u.Id);
        builder.HasIndex(u => u.StartedAtUtc);
        builder.HasIndex(u => u.RunId);
        builder.HasIndex(u => new { u.ModelId, u.StartedAtUtc });
        builder.Property(u => u.JobId).HasMaxLength(64).IsRequired();
        builder.Property(u => u.Kind).HasMaxLength(128).IsRequired();
        builder.Property(u => u.Worker).HasMaxLength(256).IsRequired();
        builder.Property(u => u.Queue).HasMaxLength(64).IsRequired();
        builder.Property(u => u.Outcome).HasConversion<string>().HasMaxLength(16);
    }
}
