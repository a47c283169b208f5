using System.Globalization;

namespace ControlPlane.Web.Components.Shared;

/// <summary>Shares shown the same way whatever the server's culture: 33.3%.</summary>
public static class Percent
{
    public static string Format(double share, int decimals = 1) =>
        (share * 100).ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), CultureInfo.InvariantCulture) + "%";

    public static string Of(long part, long total) => total == 0 ? "—" : Format((double)part / total);
}
