using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ControlPlane.Web.Components.Pages.Governance;

/// <summary>One promotion request: checklist, evidence, signatures, and the signing, rejecting and withdrawing actions.</summary>
public partial class PromotionPage
{
    [Inject] private Promotions Promotions { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private Auth.OidcOptions Sso { get; set; } = default!;
    [Inject] private ControlPlane.Domain.Identity.Oidc.OidcSignIns SignIns { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? Auth { get; set; }

    [Parameter] public Guid Id { get; set; }
    /// <summary>Set when the identity provider sends a signer back: the decision they started, and the sealed proof or why it was refused.</summary>
    [SupplyParameterFromQuery] public string? Sign { get; set; }
    [SupplyParameterFromQuery] public string? Reauth { get; set; }
    [SupplyParameterFromQuery] public string? ReauthError { get; set; }

    private PromotionView? _view;
    private string? _error, _actionError;
    private bool _mayWithdraw;
    private string? _idpName;
    private bool _reauthHandled;
    private List<BreadcrumbItem> _crumbs = [];

    protected override async Task OnParametersSetAsync()
    {
        var user = Auth is null ? null : (await Auth).User;
        // Known before the request shows its buttons, so the signing dialog asks the right proof.
        var userId = user?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        _idpName = Sso.IsConfigured && userId is not null && await SignIns.LinkOfAsync(userId) is not null ? Sso.DisplayName : null;
        await LoadAsync();
        _mayWithdraw = _view is not null && user is not null
            && (string.Equals(user.Identity?.Name, _view.RequestedBy, StringComparison.OrdinalIgnoreCase) || user.IsInRole(ControlPlaneRoles.Admin));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Once, when the request has loaded (the first render may come before it).
        if (_reauthHandled || _view is null || Sign is null || (Reauth is null && ReauthError is null))
            return;
        _reauthHandled = true;
        var (proof, refused) = (Reauth, ReauthError);
        if (refused is not null)
            _actionError = $"The identity provider's sign-in cannot sign: {refused}";
        else if (Enum.TryParse<DecisionKind>(Sign, out var decision) && Enum.IsDefined(decision) && _view?.Eligibility.CanSign == true)
            await SignAsync(decision, proof);
        // Then the proof leaves the address bar (it signs once, and only for a few minutes anyway). Not before: a
        // navigation closes open dialogs.
        Navigation.NavigateTo($"/promotions/{Id}", replace: true);
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        try
        {
            _view = await Promotions.GetAsync(Id);
            _crumbs = [new("Promotions", "/promotions"), new($"{_view.Model} v{_view.Version}", null, disabled: true)];
        }
        catch (DomainException e)
        {
            _error = e.Message;
        }
    }

    private async Task SignAsync(DecisionKind decision, string? reauthentication = null)
    {
        var view = _view!;
        var parameters = new DialogParameters<SignDialog>
        {
            { d => d.RequestId, view.Id },
            { d => d.Decision, decision },
            { d => d.EvidenceHash, view.EvidenceHash },
            { d => d.FailingGates, view.Gates.Where(g => !g.Passed).ToList() },
            { d => d.CanOverride, view.Eligibility.CanOverride },
            { d => d.IdpName, _idpName },
            { d => d.Reauthentication, reauthentication },
        };
        var title = decision == DecisionKind.Approve ? "Sign the approval" : "Sign the rejection";
        var dialog = await Dialogs.ShowAsync<SignDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: PromotionView signed })
        {
            _view = signed;
            _actionError = null;
            Snackbar.Add(signed.Status == PromotionStatus.Pending
                ? $"Signed: {signed.Approvals} of {signed.RequiredApprovals} approvals."
                : $"Signed: the request is {signed.Status}.", Severity.Success);
        }
        // Someone else may have decided meanwhile: show the request as it stands now.
        await LoadAsync();
    }

    private async Task WithdrawAsync()
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Explanation, "The request closes as withdrawn; nothing is promoted." },
            { d => d.ButtonText, "Withdraw" },
            { d => d.Optional, true },
            { d => d.Submit, async reason => await Promotions.WithdrawAsync(Id, reason.Length == 0 ? null : reason) },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>("Withdraw the request", parameters);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Request withdrawn.", Severity.Info);
            await LoadAsync();
        }
    }
}
