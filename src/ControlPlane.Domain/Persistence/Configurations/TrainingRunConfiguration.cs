using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> builder)
    {
        builder.ToTable("TrainingRuns");
        builder.HasKey(r => r.Id);
        builder.HasOne(r => r.Spec).WithMany().HasForeignKey(r => r.SpecId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.DatasetVersion).WithMany().HasForeignKey(r => r.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.ModelVersion).WithMany().HasForeignKey(r => r.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.SpecId, r.RequestedAtUtc });
        builder.HasIndex(r => r.RequestedAtUtc);
        builder.Property(r => r.SpecHash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Trigger).HasMaxLength(16).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Phase).HasMaxLength(64);
        builder.Property(r => r.Error).HasMaxLength(4000);
        builder.Property(r => r.OnnxExport).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.OnnxMessage).HasMaxLength(4000);
        builder.Property(r => r.OnnxSha256).HasMaxLength(64);
        builder.Property(r => r.Machine).HasMaxLength(256);
        builder.Property(r => r.JobId).HasMaxLength(64);
        builder.Property(r => r.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
    }
}
