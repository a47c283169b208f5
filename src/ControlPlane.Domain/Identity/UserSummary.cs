namespace ControlPlane.Domain.Identity;

public sealed record UserSummary(
    string Id,
    string UserName,
    string? Email,
    IReadOnlyList<string> Roles,
    bool IsDisabled,
    bool IsLockedOut,
    DateTime CreatedAt);

public sealed record NewUser(string UserName, string Email, string Password, IReadOnlyList<string> Roles);
