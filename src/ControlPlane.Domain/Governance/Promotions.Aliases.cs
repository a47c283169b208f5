using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Protected aliases left pointing at unapproved versions, for an admin to resolve.</summary>
public sealed partial class Promotions
{
    public async Task<IReadOnlyList<UnapprovedAlias>> UnapprovedAliasesAsync(string modelName, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), modelName, ct);
        return await UnapprovedAliases.ListAsync(db, model.Id, ct);
    }
}
