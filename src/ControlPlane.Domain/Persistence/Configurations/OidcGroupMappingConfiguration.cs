using ControlPlane.Domain.Identity.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class OidcGroupMappingConfiguration : IEntityTypeConfiguration<OidcGroupMapping>
{
    public void Configure(EntityTypeBuilder<OidcGroupMapping> builder)
    {
        builder.ToTable("OidcGroupMappings");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Group).HasMaxLength(OidcGroupMappings.MaxGroupLength).IsRequired();
        builder.Property(m => m.Role).HasMaxLength(64).IsRequired();
        builder.HasIndex(m => new { m.Group, m.Role }).IsUnique();
    }
}
