namespace ControlPlane.Domain.Production;

/// <summary>What a serving app says when a version it was told to serve would not download, verify or load.</summary>
/// <param name="Alias">The alias the app follows (the version stays in service behind it), if any.</param>
/// <param name="Error">The app's error, as it saw it.</param>
/// <param name="Host">Which serving instance failed (a host or pod name), so a fleet's reports can be told apart.</param>
public sealed record LoadFailureReport(string? Alias, string? Error, string? Host);

/// <param name="Recorded">False when the same instance reported the same version within <see cref="LoadFailureReports.Quiet"/>: kept once, not again.</param>
public sealed record LoadFailureReceipt(bool Recorded);
