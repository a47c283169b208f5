using ControlPlane.Domain;
using ControlPlane.Web;
using ControlPlane.Workers;
using ControlPlane.Workers.Hosting;

// `--demo` loads the demo scenario into an empty instance (the same as ControlPlane:Demo:Seed=true).
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo)
    builder.Configuration[ControlPlane.Workers.Demo.DemoOnStartup.Setting] = "true";
// Serve library assets (MudBlazor) from the build output too, not only after publish.
builder.WebHost.UseStaticWebAssets();
builder.AddControlPlaneDomain();
builder.AddControlPlaneWorkers(runServer: builder.Configuration.GetValue($"{WorkerOptions.Section}:{nameof(WorkerOptions.InProcess)}", true));
builder.AddControlPlaneWeb();

var app = builder.Build();
app.UseControlPlaneWeb();
await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;
