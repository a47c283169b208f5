using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Domain.Identity;

public sealed class ControlPlaneUser : IdentityUser
{
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Disabled users cannot sign in or use tokens; they are never deleted (their audit trail stays).</summary>
    public bool IsDisabled { get; set; }
}
