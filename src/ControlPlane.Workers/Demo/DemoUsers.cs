using System.Security.Cryptography;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Workers.Demo;

public sealed record DemoUser(string UserName, string Role, string Password);

/// <summary>One demo user per role with a fresh random password, shown once to whoever started the demo and never stored in clear.</summary>
public sealed class DemoUsers(UserAdministration users)
{
    public static readonly (string Name, string Role)[] People =
        [("dana", ControlPlaneRoles.DataScientist), ("rita", ControlPlaneRoles.ComplianceReviewer), ("adam", ControlPlaneRoles.Admin)];

    public async Task<IReadOnlyList<DemoUser>> CreateAsync(CancellationToken ct)
    {
        var created = new List<DemoUser>();
        foreach (var (name, role) in People)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', 'x').Replace('+', 'y') + "!7a";
            try
            {
                await users.CreateAsync(new NewUser($"demo-{name}", $"demo-{name}@example.test", password, [role]), ct);
                created.Add(new DemoUser($"demo-{name}", role, password));
            }
            catch (ValidationException e) when (e.Errors.ContainsKey("userName"))
            {
                // Already there from an earlier demo: keep its password, which was shown then.
            }
        }
        return created;
    }
}
