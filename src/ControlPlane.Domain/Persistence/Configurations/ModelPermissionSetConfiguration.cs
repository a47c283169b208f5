using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Registry.Permissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ModelPermissionSetConfiguration : IEntityTypeConfiguration<ModelPermissionSet>
{
    public void Configure(EntityTypeBuilder<ModelPermissionSet> builder)
    {
        builder.ToTable("ModelPermissions");
        builder.HasKey(p => p.ModelId);
        builder.Property(p => p.Owners).HasMaxLength(8000).IsRequired();
        builder.Property(p => p.Rules).HasMaxLength(16000).IsRequired();
        builder.Property(p => p.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.Property(p => p.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne<RegisteredModel>().WithOne().HasForeignKey<ModelPermissionSet>(p => p.ModelId).OnDelete(DeleteBehavior.Cascade);
    }
}
