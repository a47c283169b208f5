using System.Globalization;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// The <c>--name value</c> options that follow a command word. Unknown options, stray words, repeated options and
/// options without a value are refused, so a typo never silently falls back to a default.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values;

    private CommandLine(Dictionary<string, string> values) => _values = values;

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!options.Contains(name))
                throw new CliInputException(name.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{name}'");
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new CliInputException($"option '{name}' needs a value");
            if (!values.TryAdd(name, args[++i]))
                throw new CliInputException($"option '{name}' is given twice");
        }
        return new CommandLine(values);
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new CliInputException($"option '{name}' is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>A comma-separated list, trimmed, duplicates dropped; null when the option is absent.</summary>
    public IReadOnlyList<string>? List(string name)
    {
        if (Optional(name) is not { } value)
            return null;
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        return items.Count > 0 ? items : throw new CliInputException($"option '{name}' lists nothing");
    }

    /// <summary>One of <paramref name="choices"/> (any case); <paramref name="fallback"/> when the option is absent.</summary>
    public string Choice(string name, IReadOnlyList<string> choices, string fallback)
    {
        if (Optional(name) is not { } value)
            return fallback;
        return choices.FirstOrDefault(c => c.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliInputException($"option '{name}' must be {(choices.Count == 2 ? string.Join(" or ", choices) : "one of " + string.Join(", ", choices))}, not '{value}'");
    }

    /// <summary>A member of <typeparamref name="T"/> by name, any case; null when the option is absent.</summary>
    public T? Enum<T>(string name) where T : struct, Enum
    {
        if (Optional(name) is null)
            return null;
        string[] names = [.. System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];
        return System.Enum.Parse<T>(Choice(name, names, names[0]), ignoreCase: true);
    }

    public int PositiveInt(string name, int fallback)
    {
        if (Optional(name) is not { } value)
            return fallback;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new CliInputException($"option '{name}' must be a whole number of at least 1, not '{value}'");
    }
}
