using ControlPlane.Domain.Identity.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("UserSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.UserAgent).HasMaxLength(512);
        builder.Property(s => s.IpAddress).HasMaxLength(64);
        builder.Property(s => s.RevokedBy).HasMaxLength(256);
        builder.HasIndex(s => new { s.UserId, s.LastSeenAtUtc });
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
