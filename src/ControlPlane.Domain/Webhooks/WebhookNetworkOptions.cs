namespace ControlPlane.Domain.Webhooks;

/// <summary>
/// Networks that webhooks may reach although they are internal (a receiver inside the company), as CIDR blocks
/// ("10.20.0.0/16", "127.0.0.1/32"). Everything else that is not a public address is refused.
/// </summary>
public sealed class WebhookNetworkOptions
{
    public const string Section = "ControlPlane:Webhooks";

    public List<string> AllowedNetworks { get; set; } = [];
}
