using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ProductionWindowConfiguration : IEntityTypeConfiguration<ProductionWindow>
{
    public void Configure(EntityTypeBuilder<ProductionWindow> builder)
    {
        builder.ToTable("ProductionWindows");
        builder.HasKey(w => w.Id);
        builder.HasIndex(w => new { w.MonitorId, w.StartUtc }).IsUnique();
        builder.Property(w => w.Health).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.Breaches).HasMaxLength(128).IsRequired();
        builder.Property(w => w.Results).IsRequired();
        builder.Property(w => w.InputsStamp).HasMaxLength(64).IsRequired();
        builder.HasOne(w => w.Monitor).WithMany().HasForeignKey(w => w.MonitorId).OnDelete(DeleteBehavior.Cascade);
    }
}
