using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Training;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPlane.Web.Components.Pages.Training;

public sealed partial class TrainingSpecDialog
{
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private DatasetCatalog Datasets { get; set; } = default!;
    [Inject] private DriftMonitors Monitors { get; set; } = default!;
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;
    [Parameter] public TrainingSpecView? Existing { get; set; }
    /// <summary>The model a new spec is for (prefilled, still editable).</summary>
    [Parameter] public string? Model { get; set; }

    private string? _model, _name, _description, _dataset, _label, _evaluation, _schedule;
    private string _trainer = TrainerCatalog.LightGbm, _timeZone = "UTC";
    private int? _datasetVersion, _evaluationVersion, _folds, _timeLimit;
    private TrainingTask _task;
    private double _validationFraction = 0.2;
    private int _seed, _cooldown = 24 * 60;
    private Guid? _monitor;
    private bool _enabled = true, _busy;
    private IReadOnlyList<DatasetColumn>? _columns;
    private IReadOnlyList<DriftMonitorView> _monitors = [];
    private readonly Dictionary<string, FeatureTreatment> _features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double?> _hyperparameters = new(StringComparer.Ordinal);
    private List<string> _errors = [];

    protected override async Task OnInitializedAsync()
    {
        _model = Model;
        try { _monitors = (await Monitors.ListAsync(new PageRequest(0, PageRequest.MaxPageSize))).Items; }
        catch (DomainException) { }
        if (Existing is not { } s)
            return;
        (_model, _name, _description, _task, _trainer, _label) = (s.Model, s.Name, s.Description, s.Task, s.Trainer, s.LabelColumn);
        (_dataset, _datasetVersion, _evaluation, _evaluationVersion) = (s.TrainingDataset.Name, s.TrainingDataset.Version, s.EvaluationDataset?.Name, s.EvaluationDataset?.Version);
        (_validationFraction, _folds, _seed, _schedule, _timeZone, _enabled, _monitor, _cooldown) =
            (s.CrossValidationFolds is null ? s.ValidationFraction : 0.2, s.CrossValidationFolds, s.Seed, s.Schedule, s.TimeZone, s.Enabled, s.DriftMonitorId, s.DriftCooldownMinutes);
        _timeLimit = s.TimeLimitMinutes;
        foreach (var f in s.Features)
            _features[f.Name] = f.Treatment;
        foreach (var (name, value) in s.Hyperparameters)
            _hyperparameters[name] = value;
        await LoadColumnsAsync(keepChoices: true);
    }

    private async Task DatasetChanged(string? value)
    {
        _dataset = value;
        await LoadColumnsAsync(keepChoices: false);
    }

    private async Task DatasetVersionChanged(int? value)
    {
        _datasetVersion = value;
        await LoadColumnsAsync(keepChoices: true);
    }

    private void TaskChanged(TrainingTask task)
    {
        _task = task;
        if (TrainerCatalog.Find(_trainer) is not { } t || !t.Tasks.Contains(task))
            TrainerChanged(TrainerCatalog.All.First(x => x.Tasks.Contains(task)).Name);
    }

    private void TrainerChanged(string trainer)
    {
        _trainer = trainer;
        _hyperparameters.Clear();
    }

    private void Toggle(DatasetColumn column, bool on)
    {
        if (!on)
            _features.Remove(column.Name);
        else
            _features[column.Name] = column.Type switch
            {
                ColumnType.Numerical or ColumnType.Boolean => FeatureTreatment.Numerical,
                ColumnType.Text => FeatureTreatment.Text,
                _ => FeatureTreatment.Categorical,
            };
    }

    /// <summary>The schema of the chosen version (or the latest); a new dataset preselects its label and feature columns.</summary>
    private async Task LoadColumnsAsync(bool keepChoices)
    {
        try
        {
            var number = _datasetVersion ?? (await Datasets.GetAsync(_dataset ?? "")).LatestVersion;
            _columns = number > 0 ? (await Datasets.GetVersionAsync(_dataset ?? "", number)).Schema : null;
        }
        catch (DomainException)
        {
            _columns = null;
        }
        if (keepChoices || _columns is null)
            return;
        _features.Clear();
        _label = _columns.FirstOrDefault(c => c.Role == ColumnRole.Label)?.Name;
        foreach (var c in _columns.Where(c => c.Role == ColumnRole.Feature && c.Name != _label && c.Type != ColumnType.DateTime))
            Toggle(c, true);
    }

    private async Task SaveAsync()
    {
        _busy = true;
        _errors = [];
        try
        {
            var request = new TrainingSpecRequest(_model ?? "", _name ?? "", _task, _label ?? "",
                [.. _features.Select(f => new TrainingFeature(f.Key, f.Value))], _trainer, new DatasetSelection(_dataset ?? "", _datasetVersion),
                _hyperparameters.Where(h => h.Value is not null).ToDictionary(h => h.Key, h => h.Value!.Value), _validationFraction, _folds, _seed,
                string.IsNullOrWhiteSpace(_evaluation) ? null : new DatasetSelection(_evaluation, _evaluationVersion), _schedule, _timeZone, _enabled,
                _monitor, _cooldown, _description, Existing?.ConcurrencyStamp, _timeLimit);
            var saved = Existing is { } s ? await Training.UpdateSpecAsync(s.Id, request) : await Training.CreateSpecAsync(request);
            Dialog.Close(DialogResult.Ok(saved));
        }
        catch (ValidationException e)
        {
            _errors = e.Errors.Count > 0 ? [.. e.Errors.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}"))] : [e.Message];
        }
        catch (DomainException e)
        {
            _errors = [e.Message];
        }
        finally
        {
            _busy = false;
        }
    }
}
