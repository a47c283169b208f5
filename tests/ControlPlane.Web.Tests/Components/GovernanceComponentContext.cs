using System.Text.Json;
using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// Governance pages over the real services: dana (the registry's data scientist) registers and requests, rita is a
/// real compliance reviewer with a password, so signatures go through the real password check.
/// </summary>
public abstract class GovernanceComponentContext : RegistryComponentContext
{
    protected const string Password = "correct horse battery";
    protected static readonly Actor Admin = new("admin-id", "root", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    protected Actor Reviewer { get; private set; } = null!;

    protected override async Task SeedAsync()
    {
        var rita = await Host.As<UserAdministration>(Admin).CreateAsync(new NewUser("rita", "rita@example.test", Password, [ControlPlaneRoles.ComplianceReviewer]));
        Reviewer = new Actor(rita.Id, rita.UserName, new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true);
    }

    /// <summary>The pages act as this person: their services and their authentication state.</summary>
    protected void SignInAs(Actor actor)
    {
        Ctx.Services.AddSingleton(Host.As<Promotions>(actor));
        Ctx.Services.AddSingleton(Host.As<PromotionPolicies>(actor));
        Ctx.Services.AddSingleton(new ControlPlane.Web.Auth.OidcOptions()); // no single sign-on: everyone signs with a password here
        Ctx.Services.AddSingleton(Host.Services.GetRequiredService<ControlPlane.Domain.Identity.Oidc.OidcSignIns>());
        Ctx.AddAuthorization().SetAuthorized(actor.Name).SetRoles([.. ControlPlaneRoles.All.Where(actor.IsInRole)]);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // resolves services: registration ends here
    }

    /// <summary>A model with versions whose cards are complete, registered by dana.</summary>
    protected async Task ModelAsync(string name, int versions = 1)
    {
        await Registry.CreateModelAsync(name, null, null);
        for (var i = 0; i < versions; i++)
            await Registry.RegisterVersionAsync(name, new MemoryStream(HandBuiltOnnx.Identity()), "m.onnx",
                new VersionMetadata(ModelCard: new ModelCard("credit scoring", "retail only", "high", "risk-team")));
    }

    protected Task<PromotionView> RequestAsync(string model, int version, PromotionTarget? target = null) =>
        Host.As<Promotions>(Scientist).RequestAsync(new PromotionRequestInput(model, version, target ?? new PromotionTarget(LifecycleStage.Production), "beats the champion"));

    protected Task<PromotionView> ApproveAsync(Guid request) =>
        Host.As<Promotions>(Reviewer).DecideAsync(request, new DecisionInput(DecisionKind.Approve, SignatureMeaning.Approved, "evidence reviewed", Password));

    /// <summary>A finished evaluation stored the way its job stores it (this host has no job server).</summary>
    protected async Task EvaluatedAsync(string model, int version, string dataset, IReadOnlyDictionary<string, double> metrics)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var v = await db.Versions.SingleAsync(x => x.Model!.Name == model && x.Number == version);
        var data = await db.DatasetVersions.Where(x => x.Dataset!.Name == dataset).OrderByDescending(x => x.Number).FirstAsync();
        var now = Host.Time.GetUtcNow().UtcDateTime;
        db.EvaluationRuns.Add(new EvaluationRun
        {
            Id = Guid.CreateVersion7(), ModelVersionId = v.Id, DatasetVersionId = data.Id, LabelColumn = "label", Task = EvaluationTask.Binary,
            Status = EvaluationStatus.Succeeded, Progress = 1, Metrics = JsonSerializer.Serialize(metrics), RequestedBy = "dana",
            RequestedAtUtc = now, StartedAtUtc = now, CompletedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        });
        await db.SaveChangesAsync();
    }
}
