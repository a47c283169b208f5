namespace ControlPlane.Domain.Registry.Permissions;

/// <param name="Stored">False while nothing was saved: the creator is the only owner and nothing is restricted.</param>
/// <param name="ConcurrencyStamp">Send it back with a change; a change made by someone else meanwhile is a 409.</param>
public sealed record ModelPermissionsView(
    string Model, IReadOnlyList<string> Owners, ActionRule RegisterVersions, ActionRule MoveAliases, ActionRule EditMonitors, ActionRule EditSpecs,
    bool Stored, string? UpdatedBy, DateTime? UpdatedAtUtc, Guid? ConcurrencyStamp);

/// <summary>The whole set of owners and rules; an action left out is unrestricted.</summary>
public sealed record ModelPermissionsRequest(
    IReadOnlyList<string>? Owners, ActionRule? RegisterVersions = null, ActionRule? MoveAliases = null, ActionRule? EditMonitors = null,
    ActionRule? EditSpecs = null, Guid? ConcurrencyStamp = null);
