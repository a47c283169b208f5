using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Keeps the circuit's actor in step with its authentication state, and wraps every inbound event in the
/// matching audit origin, so services called from interactive components authorize and audit the page's user.
/// </summary>
internal sealed class ActorCircuitHandler(AuthenticationStateProvider auth, ActorContext actor, IHttpContextAccessor http, CircuitActivity activity)
    : CircuitHandler, IDisposable
{
    private string? _clientIp;
    private string? _circuitId;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _circuitId = circuit.Id;
        _clientIp = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        auth.AuthenticationStateChanged += OnChanged;
        return RefreshAsync(auth.GetAuthenticationStateAsync());
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            activity.Touch();
            await RefreshAsync(auth.GetAuthenticationStateAsync());
            using (AuditAmbient.UseOrigin(AuditOrigin.From(actor.Current, _circuitId, _clientIp)))
                await next(context);
        };

    private void OnChanged(Task<AuthenticationState> state) => _ = RefreshAsync(state);

    private async Task RefreshAsync(Task<AuthenticationState> state) =>
        actor.Current = Actor.FromPrincipal((await state).User);

    public void Dispose() => auth.AuthenticationStateChanged -= OnChanged;
}
