using System.Globalization;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Which entities and fields the audit trail records, and how values are written. Everything is audited
/// unless listed here: secrets are redacted, bookkeeping fields that change on every read are skipped.
/// </summary>
internal static class AuditedEntities
{
    // Webhook deliveries are an operational log of their own (attempts, status codes), shown on the monitor page.
    // Telemetry segments and production windows are telemetry and figures derived from it, not governed records.
    // Job usage rows are measurements written on every job run (the rates and budgets that price them are audited);
    // session rows change every minute a user works (their sign-in and revocation are explicit events instead).
    private static readonly HashSet<Type> NotAudited =
        [typeof(AuditEvent), typeof(DataProtectionKey), typeof(Webhooks.WebhookDelivery), typeof(Production.TelemetrySegment), typeof(Production.ProductionWindow),
         typeof(Costs.JobUsage), typeof(Identity.Sessions.UserSession)];

    private static readonly HashSet<string> SkippedFields =
    [
        nameof(IdentityUser.ConcurrencyStamp), nameof(IdentityUser.SecurityStamp), nameof(IdentityUser.AccessFailedCount),
        nameof(IdentityUser.NormalizedUserName), nameof(IdentityUser.NormalizedEmail), nameof(IdentityRole.NormalizedName),
        nameof(PersonalAccessToken.LastUsedAtUtc),
        nameof(Datasets.DatasetVersion.Profile), nameof(Datasets.DatasetVersion.ProfileProgress), // derived from the file; status changes are audited
        nameof(Evaluations.EvaluationRun.Details), nameof(Evaluations.EvaluationRun.Progress), // bulky or transient; the metrics themselves are audited
        nameof(Drift.DriftRun.Results), // per-column figures and histograms; the verdict fields are audited
        nameof(Governance.PromotionRequest.Evidence), nameof(Governance.PromotionRequest.Gates), // bulky; the evidence hash is audited
        "JobId", // the job system's own id, set right after enqueueing
    ];

    // By entity and field: a name alone (every "Value") would hide ordinary data such as tag values.
    private static readonly HashSet<(Type, string)> RedactedFields =
    [
        (typeof(ControlPlaneUser), nameof(IdentityUser.PasswordHash)), (typeof(PersonalAccessToken), nameof(PersonalAccessToken.TokenHash)),
        (typeof(IdentityUserToken<string>), nameof(IdentityUserToken<string>.Value)),
        (typeof(Drift.DriftMonitor), nameof(Drift.DriftMonitor.WebhookSecretProtected)), (typeof(Webhooks.WebhookSubscription), nameof(Webhooks.WebhookSubscription.SecretProtected)),
    ];

    /// <summary>A secret-looking field of an entity not listed above is redacted too, rather than leaked.</summary>
    private static bool IsRedacted(Type entity, string field) =>
        RedactedFields.Contains((entity, field)) || field.Contains("Secret", StringComparison.Ordinal)
        || field.Contains("PasswordHash", StringComparison.Ordinal) || field.Contains("TokenHash", StringComparison.Ordinal);

    public static bool IsAudited(Type type) => !NotAudited.Contains(type);

    public static string NameOf(Type type) => type switch
    {
        _ when type == typeof(ControlPlaneUser) => "user",
        _ when type == typeof(IdentityUserRole<string>) => "userRole",
        _ when type == typeof(IdentityRole) => "role",
        _ when type == typeof(PersonalAccessToken) => "token",
        _ when type == typeof(Registry.RegisteredModel) => "model",
        _ => char.ToLowerInvariant(type.Name[0]) + type.Name[1..],
    };

    public static string KeyOf(EntityEntry entry) =>
        string.Join('/', entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue)));

    public static IEnumerable<AuditChange> ChangesOf(EntityEntry entry)
    {
        var type = NameOf(entry.Metadata.ClrType);
        var id = KeyOf(entry);
        foreach (var property in entry.Properties)
        {
            var field = property.Metadata.Name;
            if (SkippedFields.Contains(field) || property.Metadata.IsShadowProperty() && property.Metadata.IsForeignKey())
                continue;
            var (old, current) = entry.State switch
            {
                EntityState.Added => (null, Format(property.CurrentValue)),
                EntityState.Deleted => (Format(property.OriginalValue), null),
                _ when property.IsModified => (Format(property.OriginalValue), Format(property.CurrentValue)),
                _ => (null, null),
            };
            if (entry.State == EntityState.Modified && (!property.IsModified || old == current))
                continue;
            if (old is null && current is null)
                continue;
            if (IsRedacted(entry.Metadata.ClrType, field))
                (old, current) = (old is null ? null : AuditChange.Redacted, current is null ? null : AuditChange.Redacted);
            yield return new AuditChange(type, id, field, old, current);
        }
    }

    public static string? Format(object? value) => value switch
    {
        null => null,
        DateTime d => AuditClock.Truncate(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind).ToUniversalTime()).ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
