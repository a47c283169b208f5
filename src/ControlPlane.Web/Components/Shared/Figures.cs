using System.Globalization;

namespace ControlPlane.Web.Components.Shared;

/// <summary>Numbers shown the same way whatever the server's culture, to a given number of significant digits.</summary>
public static class Figures
{
    public static string Format(double value, int significant = 4) =>
        value.ToString("G" + significant.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Format(double? value, int significant = 4) => value is { } v ? Format(v, significant) : "—";

    /// <summary>A UTC instant as <see cref="UtcTime"/> shows it, for places that render text rather than a component.</summary>
    public static string Utc(DateTime value) => value.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
}
