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
    [CascadingParameter] private Task<AuthenticationState>? Auth { get; set; }

    [Parameter] public Guid Id { get; set; }

    private PromotionView? _view;
    private string? _error, _actionError;
    private bool _mayWithdraw;
    private List<BreadcrumbItem> _crumbs = [];

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        var user = Auth is null ? null : (await Auth).User;
        _mayWithdraw = _view is not null && user is not null
            && (string.Equals(user.Identity?.Name, _view.RequestedBy, StringComparison.OrdinalIgnoreCase) || user.IsInRole(ControlPlaneRoles.Admin));
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

    private async Task SignAsync(DecisionKind decision)
    {
        var view = _view!;
        var parameters = new DialogParameters<SignDialog>
        {
            { d => d.RequestId, view.Id },
            { d => d.Decision, decision },
            { d => d.EvidenceHash, view.EvidenceHash },
            { d => d.FailingGates, view.Gates.Where(g => !g.Passed).ToList() },
            { d => d.CanOverride, view.Eligibility.CanOverride },
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
