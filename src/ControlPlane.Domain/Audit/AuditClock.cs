namespace ControlPlane.Domain.Audit;

/// <summary>
/// Audit times are kept to the microsecond: PostgreSQL stores no finer, and a hash over 100-ns ticks would not
/// survive the round trip. SQLite and SQL Server store the same truncated value, so every provider verifies alike.
/// </summary>
public static class AuditClock
{
    public static DateTime UtcNow(TimeProvider time) => Truncate(time.GetUtcNow().UtcDateTime);

    public static DateTime Truncate(DateTime value) => new(value.Ticks - value.Ticks % 10, value.Kind);
}
