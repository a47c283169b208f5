using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ModelTagConfiguration : IEntityTypeConfiguration<ModelTag>
{
    public void Configure(EntityTypeBuilder<ModelTag> builder)
    {
        builder.ToTable("ModelTags");
        builder.HasKey(t => new { t.ModelId, t.Key });
        builder.Property(t => t.Key).HasMaxLength(64);
        builder.Property(t => t.Value).HasMaxLength(256).IsRequired();
        builder.HasIndex(t => new { t.Key, t.Value });
    }
}
