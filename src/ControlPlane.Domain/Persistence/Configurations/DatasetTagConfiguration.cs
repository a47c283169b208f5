using ControlPlane.Domain.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class DatasetTagConfiguration : IEntityTypeConfiguration<DatasetTag>
{
    public void Configure(EntityTypeBuilder<DatasetTag> builder)
    {
        builder.ToTable("DatasetTags");
        builder.HasKey(t => new { t.DatasetId, t.Key });
        builder.Property(t => t.Key).HasMaxLength(64);
        builder.Property(t => t.Value).HasMaxLength(256).IsRequired();
        builder.HasIndex(t => new { t.Key, t.Value });
    }
}
