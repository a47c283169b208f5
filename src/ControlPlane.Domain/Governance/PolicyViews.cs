namespace ControlPlane.Domain.Governance;

/// <summary>A policy version; <see cref="Model"/> is null for the global default.</summary>
public sealed record PolicyView(Guid Id, string? Model, int Version, PolicyRules Rules, string? Reason, string CreatedBy, DateTime CreatedAt);

public sealed record PolicySaveRequest(PolicyRules Rules, string Reason);
