namespace ControlPlane.Domain.Governance;

/// <summary>One line of the checklist reviewers see. A failing gate blocks approval unless a signer with an override role overrides it.</summary>
public sealed record GateCheck(string Key, string Title, bool Passed, string Detail);
