using ControlPlane.Domain.Evaluations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class EvaluationRunConfiguration : IEntityTypeConfiguration<EvaluationRun>
{
    public void Configure(EntityTypeBuilder<EvaluationRun> builder)
    {
        builder.ToTable("EvaluationRuns");
        builder.HasKey(e => e.Id);
        builder.HasOne(e => e.ModelVersion).WithMany().HasForeignKey(e => e.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.DatasetVersion).WithMany().HasForeignKey(e => e.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.ModelVersionId, e.RequestedAtUtc });
        builder.HasIndex(e => e.RequestedAtUtc);
        builder.Property(e => e.LabelColumn).HasMaxLength(256).IsRequired();
        builder.Property(e => e.SliceColumn).HasMaxLength(256);
        builder.Property(e => e.Task).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Device).HasConversion<string>().HasMaxLength(8);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Error).HasMaxLength(4000);
        builder.Property(e => e.JobId).HasMaxLength(64);
        builder.Property(e => e.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
    }
}
