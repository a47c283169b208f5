namespace ControlPlane.Domain.Live;

/// <summary>Reads a fingerprint of the rows behind each subject, all subjects in one go.</summary>
public interface ILiveStateSource
{
    /// <returns>A fingerprint per subject that has rows; a missing subject has none (gone or not a known kind).</returns>
    Task<IReadOnlyDictionary<LiveSubject, string>> ReadAsync(IReadOnlyCollection<LiveSubject> subjects, CancellationToken ct);
}
