using System.Globalization;

namespace ControlPlane.Web.Components.Shared;

/// <summary>Sizes for people: 1.5 MiB rather than 1572864.</summary>
public static class Bytes
{
    private static readonly string[] Units = ["bytes", "KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{Figures.Count(bytes)} bytes" : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]}");
    }
}
