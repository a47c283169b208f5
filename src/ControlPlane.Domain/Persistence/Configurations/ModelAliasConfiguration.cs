using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ModelAliasConfiguration : IEntityTypeConfiguration<ModelAlias>
{
    public void Configure(EntityTypeBuilder<ModelAlias> builder)
    {
        builder.ToTable("ModelAliases");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Name).HasMaxLength(64).IsRequired();
        builder.Property(a => a.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(a => new { a.ModelId, a.Name }).IsUnique();
        builder.HasOne(a => a.Version).WithMany().HasForeignKey(a => a.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
