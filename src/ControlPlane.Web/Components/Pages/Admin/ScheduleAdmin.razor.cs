using ControlPlane.Domain.Common;
using ControlPlane.Domain.Schedules;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPlane.Web.Components.Pages.Admin;

public sealed partial class ScheduleAdmin
{
    [Inject] private Domain.Schedules.Schedules Schedules { get; set; } = default!;
    [Inject] private ScheduleProposals Proposals { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<ScheduleView> _schedules = [];
    private IReadOnlyList<ScheduleProposalView> _proposals = [];
    private bool _loading = true;
    private string? _error;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            _schedules = await Schedules.ListAsync();
            _proposals = await Proposals.ListAsync();
        }
        catch (DomainException e)
        {
            _error = e.Message;
        }
        _loading = false;
    }

    private async Task EditAsync(ScheduleView schedule)
    {
        var dialog = await Dialogs.ShowAsync<ScheduleDialog>($"Edit {schedule.Subject}", new DialogParameters<ScheduleDialog> { { d => d.Schedule, schedule } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Schedule saved.", Severity.Success);
            await LoadAsync();
        }
    }

    private Task PauseAsync(ScheduleView s) =>
        ActAsync($"Pause {s.Subject}? No runs are queued until it is resumed.", "Pause", async reason => { await Schedules.PauseAsync(s.Id, reason); return "Paused."; });

    private Task ResumeAsync(ScheduleView s) =>
        ActAsync($"Resume {s.Subject}?", "Resume", async reason => { await Schedules.ResumeAsync(s.Id, reason); return "Resumed."; });

    private Task RunNowAsync(ScheduleView s) =>
        ActAsync($"Run {s.Subject} now, outside its schedule?", "Run now", async reason => $"Queued as job #{await Schedules.TriggerAsync(s.Id, reason)}.");

    private Task DeleteAsync(ScheduleView s) =>
        ActAsync($"Remove the schedule of {s.Subject}? The {(s.Kind == ScheduleKind.DriftMonitor ? "monitor" : "spec")} itself is kept and can still run on demand.",
            "Delete", async reason => { await Schedules.DeleteAsync(s.Id, reason); return "Schedule removed."; });

    private Task HistoryAsync(ScheduleView s) =>
        Dialogs.ShowAsync<ScheduleHistoryDialog>($"Runs of {s.Subject}", new DialogParameters<ScheduleHistoryDialog> { { d => d.ScheduleId, s.Id } },
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseButton = true });

    private async Task DecideAsync(ScheduleProposalView p, bool approve)
    {
        var reason = await ReasonAsync($"{(approve ? "Approve" : "Reject")} the proposal for {p.Subject}: {p.Description}?", approve ? "Approve" : "Reject");
        if (reason is null)
            return;
        await RunAsync(async () =>
        {
            if (approve)
                await Proposals.ApproveAsync(p.Id, reason);
            else
                await Proposals.RejectAsync(p.Id, reason);
            return approve ? "Approved and applied." : "Rejected.";
        });
    }

    private async Task ActAsync(string message, string confirm, Func<string, Task<string>> action)
    {
        var reason = await ReasonAsync(message, confirm);
        if (reason is not null)
            await RunAsync(() => action(reason));
    }

    private async Task<string?> ReasonAsync(string message, string confirm)
    {
        var dialog = await Dialogs.ShowAsync<ScheduleReasonDialog>(confirm, new DialogParameters<ScheduleReasonDialog> { { d => d.Message, message }, { d => d.ConfirmText, confirm } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        return await dialog.Result is { Canceled: false, Data: string reason } ? reason : null;
    }

    private async Task RunAsync(Func<Task<string>> action)
    {
        try
        {
            Snackbar.Add(await action(), Severity.Success);
            _error = null;
        }
        catch (DomainException e)
        {
            _error = e.Message;
        }
        await LoadAsync();
    }
}
