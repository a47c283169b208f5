using ControlPlane.Domain;
using ControlPlane.Workers;

// A standalone job server: point it at the same database as the web app to add capacity.
var builder = Host.CreateApplicationBuilder(args);
builder.AddControlPlaneDomain();
builder.AddControlPlaneWorkers(runServer: true);
await builder.Build().RunAsync();
