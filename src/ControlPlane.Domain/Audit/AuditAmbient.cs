namespace ControlPlane.Domain.Audit;

/// <summary>
/// The audit origin and action of the current logical call flow. The host sets the origin once per HTTP
/// request, Blazor event or job; services name their action. The audit interceptor reads both, so no
/// feature can save a change without it being attributed.
/// </summary>
public static class AuditAmbient
{
    private static readonly AsyncLocal<AuditOrigin?> CurrentOrigin = new();
    private static readonly AsyncLocal<AuditAction?> CurrentAction = new();

    public static AuditOrigin Origin => CurrentOrigin.Value ?? AuditOrigin.System;
    public static AuditAction? Action => CurrentAction.Value;

    public static IDisposable UseOrigin(AuditOrigin origin) => Swap(CurrentOrigin, origin);

    /// <summary>Names the changes saved until disposal, e.g. <c>user.disabled</c>, instead of <c>user.updated</c>.</summary>
    public static IDisposable BeginAction(string name, string? entityType = null, string? entityId = null, string? reason = null) =>
        Swap(CurrentAction, new AuditAction(name, entityType, entityId, reason));

    private static Restore<T> Swap<T>(AsyncLocal<T?> slot, T value) where T : class
    {
        var previous = slot.Value;
        slot.Value = value;
        return new Restore<T>(slot, previous);
    }

    private sealed class Restore<T>(AsyncLocal<T?> slot, T? previous) : IDisposable where T : class
    {
        public void Dispose() => slot.Value = previous;
    }
}
