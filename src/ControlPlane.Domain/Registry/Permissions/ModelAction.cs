namespace ControlPlane.Domain.Registry.Permissions;

/// <summary>The actions on a model that its owners may restrict.</summary>
public enum ModelAction
{
    RegisterVersions = 1,
    /// <summary>Set or remove an alias that promotion policy does not protect (protected ones move only through promotions).</summary>
    MoveAliases = 2,
    /// <summary>Create or change drift monitors that watch the model, and its production monitors.</summary>
    EditMonitors = 3,
    EditSpecs = 4,
}

/// <summary>Who may take a restricted action, on top of the role the action already needs.</summary>
public enum ModelRestriction
{
    /// <summary>The role rule alone (data scientists and admins write).</summary>
    Unrestricted = 0,
    OwnersOnly = 1,
    /// <summary>The owners and the users listed for the action.</summary>
    OwnersAndListed = 2,
}
