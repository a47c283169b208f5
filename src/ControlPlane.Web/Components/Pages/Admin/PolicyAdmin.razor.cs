using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPlane.Web.Components.Pages.Admin;

/// <summary>Admins list, edit and review the history of the global and per-model promotion policies.</summary>
public partial class PolicyAdmin
{
    [Inject] private PromotionPolicies PromotionPolicies { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<PolicyView> _policies = [];
    private IReadOnlyList<PolicyView> _history = [];
    private PolicyView? _policy;
    private string? _scope, _newModel, _error;

    protected override async Task OnInitializedAsync()
    {
        await ListAsync();
        await SelectAsync(null);
    }

    private async Task ListAsync()
    {
        try
        {
            _policies = await PromotionPolicies.ListAsync();
        }
        catch (DomainException e)
        {
            _error = e.Message;
        }
    }

    private async Task SelectAsync(string? model)
    {
        try
        {
            _policy = await PromotionPolicies.GetAsync(model);
            _history = await PromotionPolicies.HistoryAsync(model);
            _scope = _policy.Model ?? model; // the model's own name as stored, or the name typed for a new model policy
            _error = null;
        }
        catch (DomainException e)
        {
            _error = e.Message;
        }
    }

    private async Task SavedAsync(PolicyView saved)
    {
        Snackbar.Add($"Saved {(saved.Model ?? "global")} policy version {saved.Version}.", Severity.Success);
        await ListAsync();
        await SelectAsync(saved.Model);
        _newModel = null;
    }
}
