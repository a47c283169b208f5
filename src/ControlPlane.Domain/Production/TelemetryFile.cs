namespace ControlPlane.Domain.Production;

/// <summary>A file in the telemetry store as a listing sees it: its path and when it was last written (UTC).</summary>
public sealed record TelemetryFile(string Path, DateTime LastWrittenUtc);
