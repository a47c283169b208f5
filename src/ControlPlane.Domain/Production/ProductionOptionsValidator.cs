using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production;

/// <summary>Checked on start, so an impossible limit stops the process with a message that names the setting.</summary>
internal sealed class ProductionOptionsValidator : IValidateOptions<ProductionOptions>
{
    public ValidateOptionsResult Validate(string? name, ProductionOptions options)
    {
        var errors = new List<string>();
        void Positive(string setting, double value)
        {
            if (!(value > 0))
                errors.Add($"{ProductionOptions.Section}:{setting} must be positive.");
        }
        Positive(nameof(options.MaxBodyBytes), options.MaxBodyBytes);
        Positive(nameof(options.MaxRecordsPerBatch), options.MaxRecordsPerBatch);
        Positive(nameof(options.MaxConcurrentBatches), options.MaxConcurrentBatches);
        Positive(nameof(options.RetryAfter), options.RetryAfter.TotalSeconds);
        Positive(nameof(options.DefaultRetentionDays), options.DefaultRetentionDays);
        Positive(nameof(options.RejectionsReported), options.RejectionsReported);
        if (options.QueueTimeout < TimeSpan.Zero)
            errors.Add($"{ProductionOptions.Section}:QueueTimeout must not be negative.");
        if (options.CompactAfter < TimeSpan.Zero)
            errors.Add($"{ProductionOptions.Section}:CompactAfter must not be negative.");
        foreach (var (setting, cron) in new[] { (nameof(options.WindowsSchedule), options.WindowsSchedule), (nameof(options.MaintenanceSchedule), options.MaintenanceSchedule) })
        {
            if (!Cronos.CronExpression.TryParse(cron, Cronos.CronFormat.Standard, out _))
                errors.Add($"{ProductionOptions.Section}:{setting} '{cron}' is not a five-field cron expression.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
