using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class TelemetrySegmentConfiguration : IEntityTypeConfiguration<TelemetrySegment>
{
    public void Configure(EntityTypeBuilder<TelemetrySegment> builder)
    {
        builder.ToTable("TelemetrySegments");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Path).HasMaxLength(512).IsRequired();
        builder.HasIndex(s => s.Path).IsUnique();
        builder.Property(s => s.Sha256).HasMaxLength(64).IsRequired();
        builder.HasIndex(s => new { s.ModelId, s.Kind, s.HourUtc });
        builder.HasIndex(s => s.CreatedAtUtc);
        builder.HasOne<Registry.RegisteredModel>().WithMany().HasForeignKey(s => s.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
