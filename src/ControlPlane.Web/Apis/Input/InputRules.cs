using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;

namespace ControlPlane.Web.Apis.Input;

/// <summary>
/// The rules every value an API endpoint takes must meet, whichever endpoint takes it: enums hold one of their defined
/// values, and strings stay within their declared maximum length (<see cref="DefaultMaxLength"/> where none is declared).
/// Records are walked property by property, collections element by element; the plan for each type is built once.
/// </summary>
public static class InputRules
{
    public const int DefaultMaxLength = 4000;
    private const int MaxDepth = 8;

    /// <summary>Adds each broken rule to <paramref name="errors"/>, keyed by the field's JSON path.</summary>
    public delegate void Check(object value, string path, IDictionary<string, List<string>> errors);

    private static readonly ConcurrentDictionary<(Type, int), Check?> Plans = new();

    /// <summary>The checks for a value of this type (null when nothing in it can break a rule).</summary>
    public static Check? For(Type type, int maxLength = DefaultMaxLength) => For(type, maxLength, 0);

    /// <summary>The maximum length declared on a property or parameter, or the default.</summary>
    public static int MaxLengthOf(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(true) switch
        {
            var a when a.OfType<MaxLengthAttribute>().FirstOrDefault() is { } m => m.Length,
            var a when a.OfType<StringLengthAttribute>().FirstOrDefault() is { } s => s.MaximumLength,
            _ => DefaultMaxLength,
        };

    private static Check? For(Type type, int maxLength, int depth) =>
        Plans.GetOrAdd((type, maxLength), key => Build(key.Item1, key.Item2, depth));

    private static Check? Build(Type type, int maxLength, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
            return EnumCheck(type);
        if (type == typeof(string))
            return (value, path, errors) =>
            {
                if (((string)value).Length > maxLength)
                    Add(errors, path, $"At most {maxLength} characters (this one has {((string)value).Length}).");
            };
        if (depth >= MaxDepth || type.IsPrimitive || type == typeof(JsonElement) || type.Namespace?.StartsWith("ControlPlane", StringComparison.Ordinal) != true && !IsCollection(type))
            return null;
        var element = ElementType(type);
        if (element is { IsGenericType: true } && element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) && element.GetGenericArguments() is [var k, var v])
            return DictionaryCheck(element, For(k, maxLength, depth + 1), For(v, maxLength, depth + 1));
        if (element is not null)
            return For(element, maxLength, depth + 1) is { } each ? (value, path, errors) =>
            {
                var i = 0;
                foreach (var item in (IEnumerable)value)
                {
                    if (item is not null)
                        each(item, $"{path}[{i}]", errors);
                    i++;
                }
            } : null;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (Property: p, Name: JsonNamingPolicy.CamelCase.ConvertName(p.Name), Check: For(p.PropertyType, MaxLengthOf(p), depth + 1)))
            .Where(p => p.Check is not null).ToArray();
        if (properties.Length == 0)
            return null;
        return (value, path, errors) =>
        {
            foreach (var (property, name, check) in properties)
                if (property.GetValue(value) is { } inner)
                    check!(inner, path.Length == 0 ? name : $"{path}.{name}", errors);
        };
    }

    private static Check EnumCheck(Type type)
    {
        var names = string.Join(", ", Enum.GetNames(type));
        return (value, path, errors) =>
        {
            if (!Enum.IsDefined(type, value))
                Add(errors, path, $"'{value}' is not one of {names}.");
        };
    }

    private static Check? DictionaryCheck(Type pair, Check? keys, Check? values)
    {
        if (keys is null && values is null)
            return null;
        var key = pair.GetProperty("Key")!;
        var item = pair.GetProperty("Value")!;
        return (value, path, errors) =>
        {
            foreach (var entry in (IEnumerable)value)
            {
                var k = key.GetValue(entry)!;
                var at = $"{path}.{k}";
                keys?.Invoke(k, at, errors);
                if (item.GetValue(entry) is { } v)
                    values?.Invoke(v, at, errors);
            }
        };
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? ElementType(Type type) =>
        !IsCollection(type) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static void Add(IDictionary<string, List<string>> errors, string path, string message)
    {
        if (!errors.TryGetValue(path, out var list))
            errors[path] = list = [];
        list.Add(message);
    }
}
