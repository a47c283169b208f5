using ControlPlane.Domain.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class ScheduleSettingConfiguration : IEntityTypeConfiguration<ScheduleSetting>
{
    public void Configure(EntityTypeBuilder<ScheduleSetting> builder)
    {
        builder.ToTable("ScheduleSettings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.Cron).HasMaxLength(128);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.Misfire).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
    }
}
