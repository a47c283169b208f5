using ControlPlane.Domain.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class PromotionRequestConfiguration : IEntityTypeConfiguration<PromotionRequest>
{
    public void Configure(EntityTypeBuilder<PromotionRequest> builder)
    {
        builder.ToTable("PromotionRequests");
        builder.HasKey(r => r.Id);
        builder.Ignore(r => r.TargetText);
        builder.Property(r => r.TargetStage).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.TargetAlias).HasMaxLength(64);
        builder.Property(r => r.Justification).HasMaxLength(4000).IsRequired();
        builder.Property(r => r.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(r => r.RequestedById).HasMaxLength(450);
        builder.Property(r => r.Evidence).IsRequired();
        builder.Property(r => r.EvidenceHash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Gates).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.StatusReason).HasMaxLength(4000);
        builder.Property(r => r.RevokedBy).HasMaxLength(256);
        builder.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(r => new { r.Status, r.RequestedAtUtc });
        builder.HasIndex(r => new { r.ModelId, r.RequestedAtUtc });
        builder.HasIndex(r => r.ModelVersionId);
        builder.HasOne<Registry.RegisteredModel>().WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Registry.ModelVersion>().WithMany().HasForeignKey(r => r.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PromotionPolicy>().WithMany().HasForeignKey(r => r.PolicyId).OnDelete(DeleteBehavior.Restrict);
    }
}
