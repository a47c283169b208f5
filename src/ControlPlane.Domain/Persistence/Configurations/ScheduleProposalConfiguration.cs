using ControlPlane.Domain.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ScheduleProposalConfiguration : IEntityTypeConfiguration<ScheduleProposal>
{
    public void Configure(EntityTypeBuilder<ScheduleProposal> builder)
    {
        builder.ToTable("ScheduleProposals");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.Status, p.ProposedAtUtc });
        builder.Property(p => p.ScheduleId).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Cron).HasMaxLength(128);
        builder.Property(p => p.TimeZone).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Reason).HasMaxLength(1000).IsRequired();
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.ProposedBy).HasMaxLength(256).IsRequired();
        builder.Property(p => p.DecidedBy).HasMaxLength(256);
        builder.Property(p => p.DecisionReason).HasMaxLength(1000);
    }
}
