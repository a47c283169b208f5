using ControlPlane.Web.Auth;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.Web.Tests.SingleSignOn;

/// <summary>A half or invalid single sign-on configuration stops the app at start, naming the setting.</summary>
public sealed class OidcOptionsTests
{
    private static OidcOptions Read(params (string Key, string Value)[] settings) =>
        OidcOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => $"ControlPlane:Oidc:{s.Key}", s => (string?)s.Value)).Build());

    private static readonly (string, string)[] Complete = [("Authority", "https://idp.example.test"), ("ClientId", "controlplane"), ("ClientSecret", "s3cret")];

    [Fact]
    public void Nothing_set_means_local_accounts_only()
    {
        var options = Read();
        Assert.False(options.IsConfigured);
        Assert.True(options.LocalSignIn);
    }

    [Fact]
    public void A_complete_configuration_is_accepted_with_the_default_scopes()
    {
        var options = Read(Complete);
        Assert.True(options.IsConfigured);
        Assert.Equal(["openid", "profile", "email"], options.ScopeList);
        Assert.Equal("groups", options.GroupsClaim);
    }

    [Theory]
    [InlineData("ClientSecret", "ControlPlane:Oidc:ClientSecret is missing")]
    [InlineData("ClientId", "ControlPlane:Oidc:ClientId is missing")]
    [InlineData("Authority", "ControlPlane:Oidc:Authority is missing")]
    public void A_half_configuration_names_what_is_missing(string left, string expected)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read(Complete.Where(s => s.Item1 != left).ToArray()));
        Assert.Contains(expected, refused.Message);
    }

    [Theory]
    [InlineData("Authority", "not a url", "ControlPlane:Oidc:Authority must be an absolute https URL")]
    [InlineData("Authority", "http://idp.example.test", "ControlPlane:Oidc:Authority must use https")]
    [InlineData("Scopes:0", "profile", "ControlPlane:Oidc:Scopes must include 'openid'")]
    [InlineData("SignatureMaxAge", "02:00:00", "ControlPlane:Oidc:SignatureMaxAge must be between")]
    [InlineData("DisplayName", " ", "ControlPlane:Oidc:DisplayName must not be empty")]
    public void An_invalid_value_is_refused_naming_the_setting(string key, string value, string expected)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read([.. Complete.Where(s => s.Item1 != key), (key, value)]));
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void Plain_http_is_accepted_only_when_https_metadata_is_turned_off()
    {
        var options = Read([("Authority", "http://127.0.0.1:5999"), ("ClientId", "c"), ("ClientSecret", "s"), ("RequireHttpsMetadata", "false")]);
        Assert.True(options.IsConfigured);
    }

    [Fact]
    public void Local_sign_in_cannot_be_turned_off_without_a_provider()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read(("LocalSignIn", "false")));
        Assert.Contains("ControlPlane:Oidc:LocalSignIn=false needs single sign-on", refused.Message);
    }
}
