namespace ControlPlane.Domain.Governance;

/// <summary>
/// One immutable version of a policy: the global default (<see cref="Scope"/> "*") or one model's own. Editing a
/// policy adds the next version; requests pin the version they were checked against.
/// </summary>
public sealed class PromotionPolicy
{
    public const string GlobalScope = "*";

    public Guid Id { get; set; }
    /// <summary>"*" or the model id: a non-null key, so (scope, version) is unique on every provider.</summary>
    public required string Scope { get; set; }
    public Guid? ModelId { get; set; }
    public int Version { get; set; }
    /// <summary>JSON of <see cref="PolicyRules"/>.</summary>
    public required string Rules { get; set; }
    public string? Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
