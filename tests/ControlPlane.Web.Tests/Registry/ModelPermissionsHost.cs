using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Registry.Permissions;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Registry;

/// <summary>
/// One domain host on a real SQLite file with the people of the permission matrix (real users, so names resolve) and
/// three models owned by olga: "open" (nothing restricted), "closed" (every action owners only) and "listed" (every
/// action owners and lisa).
/// </summary>
public sealed class ModelPermissionsHost : IAsyncLifetime
{
    public DomainHost Host { get; private set; } = null!;
    public Dictionary<string, Actor> People { get; } = new(StringComparer.Ordinal);
    /// <summary>This host has no Hangfire: the recurring jobs a schedule change registers are recorded here.</summary>
    public RecordingJobs RecurringJobs { get; } = new();

    public static readonly (string Name, string Role)[] Roster =
        [("ada", ControlPlaneRoles.Admin), ("olga", ControlPlaneRoles.DataScientist), ("lisa", ControlPlaneRoles.DataScientist),
         ("dave", ControlPlaneRoles.DataScientist), ("rita", ControlPlaneRoles.ComplianceReviewer)];

    public async Task InitializeAsync()
    {
        Host = await DomainHost.StartAsync(services: s =>
        {
            s.AddSingleton<IArtifactInspector, ArtifactInspector>();
            s.AddSingleton<Domain.Schedules.IRecurringJobStore>(RecurringJobs);
        });
        var setup = new Actor("setup", "setup", new HashSet<string> { ControlPlaneRoles.Admin }, true);
        foreach (var (name, role) in Roster)
        {
            var user = await Host.As<UserAdministration>(setup).CreateAsync(new NewUser(name, $"{name}@example.test", "correct horse battery", [role]));
            People[name] = new Actor(user.Id, name, new HashSet<string> { role }, true);
        }
        var olga = People["olga"];
        var datasets = Host.As<DatasetCatalog>(olga);
        await datasets.CreateAsync("applications", null, null);
        await using (var csv = new MemoryStream(Encoding.UTF8.GetBytes("income,label\n1,true\n2,false\n3,true\n4,false\n")))
            await datasets.AddVersionAsync("applications", csv, "a.csv", null, null);
        foreach (var model in new[] { "open", "closed", "listed" })
        {
            await Host.As<ModelRegistry>(olga).CreateModelAsync(model, null, null);
            await RegisterAsync(olga, model);
        }
        await Host.As<ModelPermissions>(olga).SetAsync("closed", Rules(ModelRestriction.OwnersOnly));
        await Host.As<ModelPermissions>(olga).SetAsync("listed", Rules(ModelRestriction.OwnersAndListed, "lisa"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>olga owns it; every action gets the same restriction and listed users.</summary>
    public static ModelPermissionsRequest Rules(ModelRestriction restriction, params string[] listed)
    {
        var rule = new ActionRule(restriction, listed);
        return new ModelPermissionsRequest(["olga"], rule, rule, rule, rule);
    }

    public Task<ModelVersionView> RegisterAsync(Actor actor, string model)
    {
        var onnx = new MemoryStream(HandBuiltOnnx.Identity());
        return Host.As<ModelRegistry>(actor).RegisterVersionAsync(model, onnx, "m.onnx", null);
    }
}

public sealed class RecordingJobs : Domain.Schedules.IRecurringJobStore
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Registered { get; } = new();

    public IReadOnlyDictionary<string, Domain.Schedules.RecurringJobState> Find(IReadOnlyCollection<string> ids) => new Dictionary<string, Domain.Schedules.RecurringJobState>();
    public void AddOrUpdate(Domain.Schedules.ScheduleId id, string cron, TimeZoneInfo timeZone, Domain.Schedules.MisfirePolicy misfire) => Registered[id.ToString()] = cron;
    public void Remove(Domain.Schedules.ScheduleId id) => Registered.TryRemove(id.ToString(), out _);
    public string? Trigger(Domain.Schedules.ScheduleId id) => null;
    public IReadOnlyList<Domain.Schedules.ScheduleRun> History(Domain.Schedules.ScheduleId id, int count) => [];
    public IReadOnlyDictionary<string, Domain.Schedules.ScheduleRun> LastFinishedRuns(IReadOnlyCollection<Domain.Schedules.ScheduleId> ids) => new Dictionary<string, Domain.Schedules.ScheduleRun>();
}
