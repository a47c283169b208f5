using ControlPlane.Domain.Costs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class CostSettingConfiguration : IEntityTypeConfiguration<CostSetting>
{
    public void Configure(EntityTypeBuilder<CostSetting> builder)
    {
        builder.ToTable("CostSettings");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.Kind, s.Key }).IsUnique();
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Key).HasMaxLength(256).IsRequired();
        builder.Property(s => s.AlertedMonth).HasMaxLength(7);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
    }
}
