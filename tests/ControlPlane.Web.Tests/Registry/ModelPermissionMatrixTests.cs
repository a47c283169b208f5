using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Registry.Permissions;
using ControlPlane.Domain.Training;

namespace ControlPlane.Web.Tests.Registry;

/// <summary>
/// Every cell of the permission matrix, called on the services themselves (what REST, the pages and jobs all call):
/// who (admin, owner, listed user, another data scientist, a reviewer; each as themselves and as a write token limited
/// to the model) × what (the four restrictable actions and changing the permissions) × how the model is restricted.
/// The expected answer is the table in docs/security.md, written out here, not derived from the code.
/// </summary>
public sealed class ModelPermissionMatrixTests(ModelPermissionsHost fixture) : IClassFixture<ModelPermissionsHost>
{
    public enum Act { RegisterVersion, MoveAlias, EditMonitor, EditSpec, ManagePermissions }

    private static readonly Dictionary<string, ModelRestriction> ModelOf = new()
    {
        ["open"] = ModelRestriction.Unrestricted, ["closed"] = ModelRestriction.OwnersOnly, ["listed"] = ModelRestriction.OwnersAndListed,
    };

    public static TheoryData<string, bool, Act, string> Cells()
    {
        var data = new TheoryData<string, bool, Act, string>();
        foreach (var (who, _) in ModelPermissionsHost.Roster)
            foreach (var token in new[] { false, true })
                foreach (var act in Enum.GetValues<Act>())
                    foreach (var model in ModelOf.Keys)
                        data.Add(who, token, act, model);
        return data;
    }

    /// <summary>The matrix of docs/security.md.</summary>
    private static bool Expected(string who, Act act, ModelRestriction restriction) => who switch
    {
        "ada" or "olga" => true,
        "rita" => false, // reviewers write nothing, listed or not
        _ when act == Act.ManagePermissions => false,
        "lisa" => restriction != ModelRestriction.OwnersOnly,
        "dave" => restriction == ModelRestriction.Unrestricted,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_person_and_their_token_may_do_exactly_what_the_matrix_says(string who, bool token, Act act, string model)
    {
        var person = fixture.People[who];
        var actor = token
            ? person with
            {
                Scopes = TokenScopes.Read | TokenScopes.Write | (who == "ada" ? TokenScopes.Admin : TokenScopes.None),
                Models = new HashSet<string>([model], StringComparer.OrdinalIgnoreCase),
            }
            : person;
        var expected = Expected(who, act, ModelOf[model]);

        Exception? refusal;
        using (token ? TokenScopeGuard.Use(actor) : null)
            refusal = await Record.ExceptionAsync(() => DoAsync(actor, act, model));
        if (expected)
            Assert.Null(refusal);
        else
        {
            var forbidden = Assert.IsType<ForbiddenException>(refusal);
            if (who is "lisa" or "dave") // refused by the model's rule, not by a role
                Assert.Matches(act == Act.ManagePermissions ? "Only the owners of" : "is restricted to its owners", forbidden.Message);
        }
        // The rules themselves are unchanged by any cell (a permitted change re-sends the same ones).
        var rules = await fixture.Host.As<ModelPermissions>(fixture.People["ada"]).GetAsync(model);
        Assert.Equal(["olga"], rules.Owners);
        Assert.Equal(ModelOf[model], rules.EditSpecs.Restriction);
    }

    private async Task DoAsync(Actor actor, Act act, string model)
    {
        var host = fixture.Host;
        var unique = $"{act}-{Guid.NewGuid():N}"[..20].ToLowerInvariant();
        switch (act)
        {
            case Act.RegisterVersion:
                await fixture.RegisterAsync(actor, model);
                break;
            case Act.MoveAlias:
                await host.As<ModelAliases>(actor).SetAsync(model, "candidate", 1, "matrix");
                break;
            case Act.EditMonitor:
                await host.As<DriftMonitors>(actor).CreateAsync(new DriftMonitorRequest(unique, new DatasetRef("applications", 1),
                    CurrentDataset: "applications", Model: model, ModelVersion: 1));
                break;
            case Act.EditSpec:
                await host.As<TrainingService>(actor).CreateSpecAsync(new TrainingSpecRequest(model, unique, TrainingTask.Binary, "label",
                    [new("income", FeatureTreatment.Numerical)], TrainerCatalog.FastTree, new DatasetSelection("applications")));
                break;
            case Act.ManagePermissions:
                await host.As<ModelPermissions>(actor).SetAsync(model, ModelOf[model] switch
                {
                    ModelRestriction.OwnersAndListed => ModelPermissionsHost.Rules(ModelRestriction.OwnersAndListed, "lisa"),
                    var r => ModelPermissionsHost.Rules(r),
                });
                break;
        }
    }
}
