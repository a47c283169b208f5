using System.Net;
using System.Net.Sockets;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Webhooks;

/// <summary>
/// Where a webhook may point. Checked when a URL is saved (scheme, no credentials, no internal literal address or
/// localhost name) and again by the delivery's socket on every address a name resolves to, so DNS rebinding cannot get
/// around it. Internal means loopback, unspecified, link-local, private, shared (CGNAT), unique-local, multicast,
/// broadcast and reserved ranges, also written as IPv4-mapped IPv6; networks an admin allows are exempt.
/// </summary>
public sealed class WebhookAddresses
{
    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IPNetwork[] _allowed;

    public WebhookAddresses(Microsoft.Extensions.Options.IOptions<WebhookNetworkOptions> options)
    {
        var invalid = options.Value.AllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _)).ToList();
        if (invalid.Count > 0)
            throw new InvalidOperationException($"{WebhookNetworkOptions.Section}:AllowedNetworks holds CIDR blocks such as 10.20.0.0/16; not: {string.Join(", ", invalid)}.");
        _allowed = [.. options.Value.AllowedNetworks.Select(n => IPNetwork.Parse(n))];
    }

    /// <summary>The URL as stored, or null for none; a 400 naming <paramref name="field"/> for anything a webhook may not point at.</summary>
    public string? Validate(string? url, string field)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw ValidationException.For(field, "The webhook URL must be an absolute http(s) URL.");
        if (uri.UserInfo.Length > 0)
            throw ValidationException.For(field, "A webhook URL carries no user name or password; put the shared secret in the signing secret.");
        var host = uri.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            if (!IsAllowed(literal))
                throw ValidationException.For(field, $"The webhook URL points at an internal address ({literal}); allow its network on purpose with {WebhookNetworkOptions.Section}:AllowedNetworks.");
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsAllowed(IPAddress.Loopback) || !IsAllowed(IPAddress.IPv6Loopback))
                throw ValidationException.For(field, $"The webhook URL points at this machine ({host}).");
        }
        return uri.ToString();
    }

    /// <summary>Whether a connection to this address is allowed: a public address, or one inside an allowed network.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (_allowed.Any(n => n.Contains(address)))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetwork && address.Equals(IPAddress.Broadcast))
            return false;
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            && !Internal.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }
}
