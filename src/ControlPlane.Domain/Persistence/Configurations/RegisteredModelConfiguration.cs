using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class RegisteredModelConfiguration : IEntityTypeConfiguration<RegisteredModel>
{
    public void Configure(EntityTypeBuilder<RegisteredModel> builder)
    {
        builder.ToTable("Models");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(128).IsRequired();
        builder.Property(m => m.NormalizedName).HasMaxLength(128).IsRequired();
        builder.Property(m => m.Description).HasMaxLength(4000);
        builder.Property(m => m.Owner).HasMaxLength(256).IsRequired();
        builder.Property(m => m.ConcurrencyStamp).IsConcurrencyToken();
        builder.Property(m => m.HoldReason).HasMaxLength(2000);
        builder.Property(m => m.HoldChangedBy).HasMaxLength(256);
        builder.HasIndex(m => m.NormalizedName).IsUnique();
        builder.HasIndex(m => m.UpdatedAtUtc);
        builder.HasMany(m => m.Tags).WithOne().HasForeignKey(t => t.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(m => m.Versions).WithOne(v => v.Model).HasForeignKey(v => v.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.Aliases).WithOne().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
