using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

/// <summary>The three roles are part of the schema: seeded by the migrations with fixed ids.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    public void Configure(EntityTypeBuilder<IdentityRole> builder)
    {
        builder.HasData(
            Seed("6f2c1a1e-3d1b-4c55-9a53-0d7d7a1c0001", ControlPlaneRoles.DataScientist),
            Seed("6f2c1a1e-3d1b-4c55-9a53-0d7d7a1c0002", ControlPlaneRoles.ComplianceReviewer),
            Seed("6f2c1a1e-3d1b-4c55-9a53-0d7d7a1c0003", ControlPlaneRoles.Admin));
    }

    private static IdentityRole Seed(string id, string name) => new()
    {
        Id = id,
        Name = name,
        NormalizedName = name.ToUpperInvariant(),
        ConcurrencyStamp = id,
    };
}
