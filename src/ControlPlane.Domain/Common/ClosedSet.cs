namespace ControlPlane.Domain.Common;

/// <summary>Enums are closed sets: a value outside the defined ones is refused where a service receives it, never read as one of them.</summary>
public static class ClosedSet
{
    public static T Require<T>(T value, string field) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ValidationException($"{field}: '{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}.",
            new Dictionary<string, string[]> { [field] = [$"Not one of {string.Join(", ", Enum.GetNames<T>())}."] });

    public static T? Require<T>(T? value, string field) where T : struct, Enum => value is { } v ? Require(v, field) : null;
}
