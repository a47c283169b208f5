namespace ControlPlane.Domain.Common;

/// <summary>The actor of the current request, circuit or job; set by the host, read by services.</summary>
public interface IActorContext
{
    Actor Current { get; }
}

/// <summary>Scoped holder the host fills in (HTTP middleware, Blazor circuit handler, job filter).</summary>
public sealed class ActorContext : IActorContext
{
    public Actor Current { get; set; } = Actor.Anonymous;
}
