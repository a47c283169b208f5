using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public const string Table = "AuditEvents";

    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorId).HasMaxLength(64);
        builder.Property(e => e.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(64).IsRequired();
        builder.Property(e => e.EntityType).HasMaxLength(64);
        builder.Property(e => e.EntityId).HasMaxLength(256);
        builder.Property(e => e.Changes).IsRequired();
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.Property(e => e.CorrelationId).HasMaxLength(128);
        builder.Property(e => e.ClientIp).HasMaxLength(64);
        builder.Property(e => e.CallerCorrelationId).HasMaxLength(128);
        builder.Property(e => e.KeyId).HasMaxLength(64).IsUnicode(false);
        builder.Property(e => e.Mac).HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength().IsUnicode(false).IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength().IsUnicode(false).IsRequired();
        builder.HasIndex(e => e.OccurredAtUtc);
        builder.HasIndex(e => new { e.EntityType, e.EntityId, e.Sequence });
        builder.HasIndex(e => new { e.ActorName, e.Sequence });
        builder.HasIndex(e => new { e.Action, e.Sequence });
    }
}
