using ControlPlane.Domain.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Domain.Persistence.Configurations;

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> builder)
    {
        builder.ToTable("PersonalAccessTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(100).IsRequired();
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsRequired().IsUnicode(false);
        builder.Property(t => t.DisplayPrefix).HasMaxLength(16).IsRequired();
        // Tokens issued before scopes keep every power they had: the column's default is All.
        builder.Property(t => t.Scopes).HasConversion<int>().HasDefaultValue(TokenScopes.All).HasSentinel(TokenScopes.None);
        builder.Property(t => t.Models).HasMaxLength(4000);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.CreatedAtUtc });
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
