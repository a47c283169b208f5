using ControlPlane.Domain.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class PromotionPolicyConfiguration : IEntityTypeConfiguration<PromotionPolicy>
{
    public void Configure(EntityTypeBuilder<PromotionPolicy> builder)
    {
        builder.ToTable("PromotionPolicies");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Scope).HasMaxLength(64).IsRequired();
        builder.HasIndex(p => new { p.Scope, p.Version }).IsUnique(); // two admins saving at once: one wins, the other gets 409
        builder.Property(p => p.Rules).IsRequired();
        builder.Property(p => p.Reason).HasMaxLength(2000);
        builder.Property(p => p.CreatedBy).HasMaxLength(256).IsRequired();
        builder.HasOne<Registry.RegisteredModel>().WithMany().HasForeignKey(p => p.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
