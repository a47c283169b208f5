using ControlPlane.Domain.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ControlPlaneUserConfiguration : IEntityTypeConfiguration<ControlPlaneUser>
{
    public void Configure(EntityTypeBuilder<ControlPlaneUser> builder)
    {
        builder.Property(u => u.CreatedAtUtc);
        builder.Property(u => u.IsDisabled);
        builder.HasIndex(u => u.CreatedAtUtc);
    }
}
