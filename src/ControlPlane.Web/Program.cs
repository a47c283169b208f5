using ControlPlane.Domain;
using ControlPlane.Web;
using ControlPlane.Workers;
using ControlPlane.Workers.Hosting;

var builder = WebApplication.CreateBuilder(args);
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
