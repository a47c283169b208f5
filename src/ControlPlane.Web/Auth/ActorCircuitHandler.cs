using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Keeps the circuit's actor in step with its authentication state, before any event handler runs,
/// so services called from interactive components authorize the same user as the page.
/// </summary>
internal sealed class ActorCircuitHandler(AuthenticationStateProvider auth, ActorContext actor) : CircuitHandler, IDisposable
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        auth.AuthenticationStateChanged += OnChanged;
        return RefreshAsync(auth.GetAuthenticationStateAsync());
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            await RefreshAsync(auth.GetAuthenticationStateAsync());
            await next(context);
        };

    private void OnChanged(Task<AuthenticationState> state) => _ = RefreshAsync(state);

    private async Task RefreshAsync(Task<AuthenticationState> state) =>
        actor.Current = Actor.FromPrincipal((await state).User);

    public void Dispose() => auth.AuthenticationStateChanged -= OnChanged;
}
