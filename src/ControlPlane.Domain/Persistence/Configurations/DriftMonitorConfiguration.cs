using ControlPlane.Domain.Drift;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class DriftMonitorConfiguration : IEntityTypeConfiguration<DriftMonitor>
{
    public void Configure(EntityTypeBuilder<DriftMonitor> builder)
    {
        builder.ToTable("DriftMonitors");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(128).IsRequired();
        builder.Property(m => m.NormalizedName).HasMaxLength(128).IsRequired();
        builder.HasIndex(m => m.NormalizedName).IsUnique();
        builder.Property(m => m.Description).HasMaxLength(4000);
        builder.Property(m => m.Settings).IsRequired();
        builder.Property(m => m.Schedule).HasMaxLength(128);
        builder.Property(m => m.TimeZone).HasMaxLength(64).IsRequired();
        builder.Property(m => m.WebhookUrl).HasMaxLength(2000);
        builder.Property(m => m.LastAlertSignature).HasMaxLength(4000);
        builder.Property(m => m.Owner).HasMaxLength(256).IsRequired();
        builder.Property(m => m.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne(m => m.ModelVersion).WithMany().HasForeignKey(m => m.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.ReferenceDatasetVersion).WithMany().HasForeignKey(m => m.ReferenceDatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.CurrentDataset).WithMany().HasForeignKey(m => m.CurrentDatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.CurrentDatasetVersion).WithMany().HasForeignKey(m => m.CurrentDatasetVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
