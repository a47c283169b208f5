namespace ControlPlane.Domain.Identity;

/// <summary>Bound from <c>ControlPlane:Bootstrap</c>: creates the first admin (and optionally a token) at start for automation.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "ControlPlane:Bootstrap";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? AdminUserName { get; set; }
    public string? AdminApiToken { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AdminEmail) && !string.IsNullOrEmpty(AdminPassword);
}
