using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class StageTransitionConfiguration : IEntityTypeConfiguration<StageTransition>
{
    public void Configure(EntityTypeBuilder<StageTransition> builder)
    {
        builder.ToTable("StageTransitions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.From).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.To).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Reason).HasMaxLength(2000);
        builder.Property(t => t.ChangedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(t => new { t.ModelVersionId, t.ChangedAtUtc });
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(t => t.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
