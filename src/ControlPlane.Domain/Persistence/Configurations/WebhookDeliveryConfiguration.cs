using ControlPlane.Domain.Drift;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => new { d.MonitorId, d.CreatedAtUtc });
        builder.HasIndex(d => d.RunId).IsUnique(); // one alert per run, however often its job runs
        builder.Property(d => d.Url).HasMaxLength(2000).IsRequired();
        builder.Property(d => d.Payload).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(2000);
    }
}
