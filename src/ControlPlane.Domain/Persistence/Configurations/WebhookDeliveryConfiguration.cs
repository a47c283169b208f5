using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Event).HasMaxLength(64).IsRequired();
        builder.HasIndex(d => new { d.MonitorId, d.CreatedAtUtc });
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedAtUtc });
        builder.HasIndex(d => d.RunId).IsUnique(); // a monitor alerts once per run, however often its job runs (set on monitor deliveries only)
        builder.Property(d => d.Url).HasMaxLength(2000).IsRequired();
        builder.Property(d => d.Payload).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(2000);
    }
}
