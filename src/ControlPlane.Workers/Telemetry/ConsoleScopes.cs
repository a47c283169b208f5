using Microsoft.Extensions.Logging.Console;

namespace ControlPlane.Workers.Telemetry;

internal static class ConsoleScopes
{
    private const string Setting = "Logging:Console:FormatterOptions:IncludeScopes";

    /// <summary>
    /// Console lines show their scopes (a job's ids, a request's path and trace id) unless
    /// <c>Logging:Console:FormatterOptions:IncludeScopes=false</c>. Set in code because the app may start from a folder
    /// without its appsettings.json; <c>Logging:Console:FormatterName=json</c> picks JSON lines as usual.
    /// </summary>
    public static void IncludeScopesOnConsole(this IHostApplicationBuilder builder)
    {
        var include = builder.Configuration.GetValue(Setting, true);
        // Without a formatter name the console logger takes the simple formatter's options from its own obsolete
        // properties (IncludeScopes false), ignoring the ones configured below.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = include);
        builder.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = include);
    }
}
