using ControlPlane.Domain.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("Datasets");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(128).IsRequired();
        builder.Property(d => d.NormalizedName).HasMaxLength(128).IsRequired();
        builder.Property(d => d.Description).HasMaxLength(4000);
        builder.Property(d => d.Owner).HasMaxLength(256).IsRequired();
        builder.Property(d => d.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(d => d.NormalizedName).IsUnique();
        builder.HasIndex(d => d.UpdatedAtUtc);
        builder.HasMany(d => d.Tags).WithOne().HasForeignKey(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Versions).WithOne(v => v.Dataset).HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Restrict);
    }
}
