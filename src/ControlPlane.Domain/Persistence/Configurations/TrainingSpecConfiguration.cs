using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class TrainingSpecConfiguration : IEntityTypeConfiguration<TrainingSpec>
{
    public void Configure(EntityTypeBuilder<TrainingSpec> builder)
    {
        builder.ToTable("TrainingSpecs");
        builder.HasKey(s => s.Id);
        builder.HasOne(s => s.Model).WithMany().HasForeignKey(s => s.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.ModelId, s.Name }).IsUnique();
        builder.HasIndex(s => s.DriftMonitorId);
        builder.Property(s => s.Name).HasMaxLength(128).IsRequired();
        builder.Property(s => s.Description).HasMaxLength(4000);
        builder.Property(s => s.Task).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.LabelColumn).HasMaxLength(256).IsRequired();
        builder.Property(s => s.Features).IsRequired();
        builder.Property(s => s.Trainer).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Hyperparameters).HasMaxLength(4000).IsRequired();
        builder.Property(s => s.Schedule).HasMaxLength(128);
        builder.Property(s => s.TimeZone).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Hash).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Owner).HasMaxLength(256).IsRequired();
        builder.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne(s => s.TrainingDataset).WithMany().HasForeignKey(s => s.TrainingDatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.TrainingDatasetVersion).WithMany().HasForeignKey(s => s.TrainingDatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.EvaluationDataset).WithMany().HasForeignKey(s => s.EvaluationDatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.EvaluationDatasetVersion).WithMany().HasForeignKey(s => s.EvaluationDatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.DriftMonitor).WithMany().HasForeignKey(s => s.DriftMonitorId).OnDelete(DeleteBehavior.Restrict);
    }
}
