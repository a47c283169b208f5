using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.ToTable("ModelVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.ModelId, v.Number }).IsUnique();
        builder.HasIndex(v => new { v.ModelId, v.Stage });
        builder.HasIndex(v => v.ArtifactSha256);
        builder.Property(v => v.Flavor).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Stage).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.ArtifactSha256).HasMaxLength(64).IsFixedLength().IsUnicode(false).IsRequired();
        builder.Property(v => v.ArtifactFileName).HasMaxLength(256).IsRequired();
        builder.Property(v => v.Signature).IsRequired();
        builder.Property(v => v.Parameters).IsRequired();
        builder.Property(v => v.Metrics).IsRequired();
        builder.Property(v => v.Source).HasMaxLength(1000);
        builder.Property(v => v.Notes).HasMaxLength(4000);
        builder.Property(v => v.IntendedUse).HasMaxLength(4000);
        builder.Property(v => v.Limitations).HasMaxLength(4000);
        builder.Property(v => v.RiskTier).HasMaxLength(32);
        builder.Property(v => v.CardOwner).HasMaxLength(256);
        builder.Property(v => v.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(v => v.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(v => v.ParentVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
