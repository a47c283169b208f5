using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Common;

/// <summary>
/// A short-lived DI scope for one operation, carrying the caller's actor. Blazor circuits live for
/// hours; services that need scoped EF-backed helpers (UserManager) take them from here instead.
/// </summary>
public static class OperationScope
{
    public static AsyncServiceScope Begin(IServiceScopeFactory scopes, Actor actor)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current = actor;
        return scope;
    }
}
