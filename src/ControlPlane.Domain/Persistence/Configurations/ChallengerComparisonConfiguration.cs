using ControlPlane.Domain.Comparisons;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ChallengerComparisonConfiguration : IEntityTypeConfiguration<ChallengerComparison>
{
    public void Configure(EntityTypeBuilder<ChallengerComparison> builder)
    {
        builder.ToTable("ChallengerComparisons");
        builder.HasKey(c => c.Id);
        builder.HasOne<Registry.RegisteredModel>().WithMany().HasForeignKey(c => c.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.ModelId, c.RequestedAtUtc });
        builder.Property(c => c.ChampionRef).HasMaxLength(160);
        builder.Property(c => c.ChallengerRef).HasMaxLength(160).IsRequired();
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Mode).HasMaxLength(16);
        builder.Property(c => c.Error).HasMaxLength(4000);
        builder.Property(c => c.JobId).HasMaxLength(64);
        builder.Property(c => c.RequestedBy).HasMaxLength(256).IsRequired();
    }
}
