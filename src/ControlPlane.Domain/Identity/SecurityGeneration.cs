namespace ControlPlane.Domain.Identity;

/// <summary>
/// A counter bumped whenever something could take rights away (token revoked, user disabled, roles changed).
/// Caches of authenticated principals in this process compare against it, so such changes apply at once here
/// and within the cache lifetime on other instances.
/// </summary>
public sealed class SecurityGeneration
{
    private long _value;

    public long Current => Interlocked.Read(ref _value);

    public void Bump() => Interlocked.Increment(ref _value);
}
