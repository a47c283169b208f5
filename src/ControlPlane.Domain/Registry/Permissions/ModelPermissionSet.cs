namespace ControlPlane.Domain.Registry.Permissions;

/// <summary>
/// A model's owners and the actions they restricted, one row per model. A model without a row has its creator
/// (<see cref="RegisteredModel.Owner"/>) as its only owner and nothing restricted. Owners and rules are JSON so that a
/// change is one row and its audit event shows the whole before and after.
/// </summary>
public sealed class ModelPermissionSet
{
    public Guid ModelId { get; set; }
    /// <summary>JSON array of user names; never empty.</summary>
    public required string Owners { get; set; }
    /// <summary>JSON object: for each restricted action, its restriction and listed users (<see cref="ModelPermissionRules"/>).</summary>
    public required string Rules { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
