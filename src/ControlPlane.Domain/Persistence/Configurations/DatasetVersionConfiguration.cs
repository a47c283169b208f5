using ControlPlane.Domain.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> builder)
    {
        builder.ToTable("DatasetVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.DatasetId, v.Number }).IsUnique();
        builder.Property(v => v.Format).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.FileSha256).HasMaxLength(64).IsFixedLength().IsUnicode(false).IsRequired();
        builder.Property(v => v.FileName).HasMaxLength(256).IsRequired();
        builder.Property(v => v.SourceNote).HasMaxLength(1000);
        builder.Property(v => v.Schema).IsRequired();
        builder.Property(v => v.ProfileStatus).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.ProfileError).HasMaxLength(4000);
        builder.Property(v => v.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(v => v.ConcurrencyStamp).IsConcurrencyToken();
    }
}
