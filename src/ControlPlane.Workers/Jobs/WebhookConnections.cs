using System.Net;
using System.Net.Sockets;
using ControlPlane.Domain.Webhooks;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// The handler webhook deliveries go through: it resolves the host itself and opens the socket only to an address that
/// <see cref="WebhookAddresses"/> allows (so a name that resolves, or re-resolves, to an internal address is refused at
/// the moment of connecting), follows no redirects and uses no proxy.
/// </summary>
public static class WebhookConnections
{
    public static SocketsHttpHandler Handler(WebhookAddresses addresses) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host.Trim('[', ']');
            var candidates = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = candidates.Where(addresses.IsAllowed).ToList();
            if (allowed.Count == 0)
                throw new WebhookAddressRefusedException(
                    $"{context.DnsEndPoint.Host} resolves to {string.Join(", ", candidates.Select(a => a.ToString()))}: internal addresses are not webhook targets.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(allowed[0], context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>A webhook that points at an address it may not reach: a failure that no retry will change.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
