using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Domain.Identity;

internal static class IdentityErrors
{
    /// <summary>Turns a failed Identity result into a 400 that lists every reason (password too short, name taken, …).</summary>
    public static void ThrowIfFailed(IdentityResult result)
    {
        if (result.Succeeded)
            return;
        var errors = result.Errors
            .GroupBy(e => FieldOf(e.Code))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        throw new ValidationException(string.Join(" ", result.Errors.Select(e => e.Description)), errors);
    }

    private static string FieldOf(string code) =>
        code.StartsWith("Password", StringComparison.Ordinal) ? "password"
        : code.Contains("Email", StringComparison.Ordinal) ? "email"
        : code.Contains("UserName", StringComparison.Ordinal) ? "userName"
        : "user";
}
