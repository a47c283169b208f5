using ControlPlane.Domain.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class PromotionDecisionConfiguration : IEntityTypeConfiguration<PromotionDecision>
{
    public void Configure(EntityTypeBuilder<PromotionDecision> builder)
    {
        builder.ToTable("PromotionDecisions");
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => new { d.RequestId, d.SignerId }).IsUnique(); // one person counts once, even when racing themselves
        builder.Property(d => d.SignerId).HasMaxLength(450).IsRequired();
        builder.Property(d => d.SignerName).HasMaxLength(256).IsRequired();
        builder.Property(d => d.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Meaning).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Reason).HasMaxLength(4000).IsRequired();
        builder.Property(d => d.Overrides).IsRequired();
        builder.Property(d => d.EvidenceHash).HasMaxLength(64).IsRequired();
        builder.Property(d => d.SignatureHash).HasMaxLength(64).IsRequired();
        builder.Property(d => d.IdpIssuer).HasMaxLength(512);
        builder.HasOne<PromotionRequest>().WithMany().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
