using System.Net;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Webhooks;

/// <summary>Security review §3: webhook URLs cannot point inside the network, however the address is written.</summary>
public sealed class WebhookAddressesTests
{
    private static WebhookAddresses Rules(params string[] allowed) => new(Options.Create(new WebhookNetworkOptions { AllowedNetworks = [.. allowed] }));

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://127.1/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://LOCALHOST./")]
    [InlineData("http://api.localhost/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/latest/meta-data")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://2852039166/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://[::]/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://172.31.255.255/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://[ff02::1]/")]
    [InlineData("https://user:secret@hooks.example.com/x")]
    [InlineData("https://token@hooks.example.com/x")]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("file:///etc/passwd")]
    public void Internal_addresses_credentials_and_other_schemes_are_refused_when_saved(string url)
    {
        var refused = Assert.Throws<ValidationException>(() => Rules().Validate(url, "webhookUrl"));
        Assert.Contains("webhookUrl", refused.Errors.Keys);
    }

    [Theory]
    [InlineData("https://hooks.example.com/x")]
    [InlineData("http://93.184.216.34/hook")]
    [InlineData("http://[2606:2800:220:1::1]/hook")]
    [InlineData("http://172.32.0.1/")] // just outside 172.16.0.0/12
    public void Public_addresses_and_names_are_accepted(string url) => Assert.NotNull(Rules().Validate(url, "webhookUrl"));

    [Fact]
    public void A_network_an_admin_allows_is_reachable_and_nothing_beside_it()
    {
        var rules = Rules("10.20.0.0/16");
        Assert.NotNull(rules.Validate("http://10.20.5.6/hook", "url"));
        Assert.NotNull(rules.Validate("http://[::ffff:10.20.5.6]/hook", "url"));
        Assert.Throws<ValidationException>(() => rules.Validate("http://10.21.0.1/hook", "url"));
        Assert.Throws<ValidationException>(() => rules.Validate("http://127.0.0.1/hook", "url"));
        Assert.True(rules.IsAllowed(IPAddress.Parse("10.20.255.255")));
        Assert.False(rules.IsAllowed(IPAddress.Parse("10.19.255.255")));
    }

    [Fact]
    public void A_setting_that_is_not_a_network_stops_start_up() =>
        Assert.Throws<InvalidOperationException>(() => Rules("10.0.0.0/33"));
}
