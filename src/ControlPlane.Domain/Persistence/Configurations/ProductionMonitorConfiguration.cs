using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ProductionMonitorConfiguration : IEntityTypeConfiguration<ProductionMonitor>
{
    public void Configure(EntityTypeBuilder<ProductionMonitor> builder)
    {
        builder.ToTable("ProductionMonitors");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(128).IsRequired();
        builder.Property(m => m.NormalizedName).HasMaxLength(128).IsRequired();
        builder.HasIndex(m => new { m.ModelId, m.NormalizedName }).IsUnique();
        builder.Property(m => m.Description).HasMaxLength(4000);
        builder.Property(m => m.Target).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.TargetValue).HasMaxLength(512).IsRequired();
        builder.Property(m => m.WindowSize).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Settings).IsRequired();
        builder.Property(m => m.Owner).HasMaxLength(256).IsRequired();
        builder.Property(m => m.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne(m => m.Model).WithMany().HasForeignKey(m => m.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.ReferenceDatasetVersion).WithMany().HasForeignKey(m => m.ReferenceDatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Training.TrainingSpec>().WithMany().HasForeignKey(m => m.RetrainSpecId).OnDelete(DeleteBehavior.Restrict);
    }
}
