using ControlPlane.Domain;
using ControlPlane.Domain.Persistence;
using ControlPlane.Workers;
using ControlPlane.Workers.Cli;
using ControlPlane.Workers.Isolation;
using ControlPlane.Workers.Telemetry;

// Commands over local files: no host, configuration or database.
if (DriftCommand.Matches(args))
    return await DriftCommand.RunAsync(args, Console.Out, Console.Error);
if (EvaluateCommand.Matches(args))
    return await EvaluateCommand.RunAsync(args, Console.Out, Console.Error);
if (FitCommand.Matches(args) || ScoreCommand.Matches(args))
{
    // Child processes of a worker (ChildProcess): they end with it, even when it was killed.
    ParentWatch.Start();
    return await (FitCommand.Matches(args) ? FitCommand.RunAsync(args, Console.Out, Console.Error) : ScoreCommand.RunAsync(args, Console.Out, Console.Error));
}

if (!AuditCommand.Matches(args) && JobServerArguments.Unexpected(args) is { } unexpected)
{
    await Console.Error.WriteLineAsync(JobServerArguments.IsHelp(unexpected) ? JobServerArguments.Usage : $"unknown argument '{unexpected}'\n{JobServerArguments.Usage}");
    return 2;
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddControlPlaneDomain();

if (AuditCommand.Matches(args))
{
    // One-shot command: the database as it is, no migrations, no job server.
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.Configure<DatabaseOptions>(o => o.MigrateOnStartup = false);
    using var tool = builder.Build();
    return await AuditCommand.RunAsync(tool, args, Console.Out);
}

// A standalone job server: point it at the same database as the web app to add capacity.
builder.AddControlPlaneWorkers(runServer: true);
builder.AddControlPlaneTelemetry("ControlPlane.Workers");
await builder.Build().RunAsync();
return 0;
