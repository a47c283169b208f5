using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Governance;

/// <summary>Refused governance attempts are part of the record, like failed signatures.</summary>
public sealed partial class Promotions
{
    /// <summary>
    /// Runs a governance action; when it is refused (403 or 409) the attempt and the reason are audited before the
    /// refusal is answered. The refused action's own transaction was rolled back, so the record is written on its own.
    /// </summary>
    private async Task<T> RefusalsAuditedAsync<T>(string refusedAction, string entityType, string entityId, Func<Task<T>> attempt)
    {
        try
        {
            return await attempt();
        }
        catch (DomainException e) when (e is ConflictException or ForbiddenException)
        {
            await audit.RecordAsync(refusedAction, entityType, Clip(entityId, 256), reason: Clip(e.Message, 2000), ct: CancellationToken.None);
            throw;
        }
    }

    private static string Clip(string text, int length) => text.Length > length ? text[..length] : text;
}
