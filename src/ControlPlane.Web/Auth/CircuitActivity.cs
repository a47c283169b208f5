namespace ControlPlane.Web.Auth;

/// <summary>When the user of an open page (a circuit) last did something there: its idle time is measured from it.</summary>
internal sealed class CircuitActivity(TimeProvider time)
{
    public DateTimeOffset Last { get; private set; } = time.GetUtcNow();

    public void Touch() => Last = time.GetUtcNow();
}
