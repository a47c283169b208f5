using System.Globalization;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// A classifier's classes in the model's order: probability column i is class i. For a binary model the positive
/// class is index 1, as scikit-learn's <c>classes_[1]</c>. Dataset labels match classes by value, not by spelling:
/// for int64 classes "1", "1.0", 1.0 and true all match class 1 (false matches 0); for string classes the exact text
/// matches first, then the text ignoring case, then the same number ("1.0" matches "1").
/// </summary>
public sealed class ClassLabels
{
    private readonly Dictionary<double, int> _byNumber = [];
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byTextIgnoringCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textIgnoringCaseLookup;

    private ClassLabels(IReadOnlyList<long>? numbers, IReadOnlyList<string>? texts)
    {
        Numbers = numbers;
        Texts = texts;
        Names = numbers?.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList() ?? texts!;
        for (var i = 0; i < Names.Count; i++)
        {
            _byText.TryAdd(Names[i], i);
            _byTextIgnoringCase.TryAdd(Names[i], i);
            if (double.TryParse(Names[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                _byNumber.TryAdd(number, i);
        }
        if (numbers is not null)
        {
            // Booleans read as 1/0; these aliases let "true"/"false" labels reach int64 classes through text.
            if (_byNumber.TryGetValue(1, out var one)) _byTextIgnoringCase.TryAdd("true", one);
            if (_byNumber.TryGetValue(0, out var zero)) _byTextIgnoringCase.TryAdd("false", zero);
        }
        _textLookup = _byText.GetAlternateLookup<ReadOnlySpan<char>>();
        _textIgnoringCaseLookup = _byTextIgnoringCase.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static ClassLabels Int64(IReadOnlyList<long> classes) => new(Distinct(classes), null);

    public static ClassLabels Strings(IReadOnlyList<string> classes) => new(null, Distinct(classes));

    /// <summary>Classes 0..count-1, for models that do not name theirs.</summary>
    public static ClassLabels Indices(int count) => Int64([.. Enumerable.Range(0, count).Select(i => (long)i)]);

    /// <summary>The int64 classes, or null when the model's classes are strings.</summary>
    public IReadOnlyList<long>? Numbers { get; }

    /// <summary>The string classes, or null when the model's classes are int64.</summary>
    public IReadOnlyList<string>? Texts { get; }

    /// <summary>Every class as text, in model order.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The index of the positive class of a binary model.</summary>
    public const int PositiveIndex = 1;

    public bool TryMatch(double value, out int index)
    {
        if (Numbers is null && (value is 0 or 1) && _byTextIgnoringCase.TryGetValue(value == 1 ? "true" : "false", out index))
            return true;
        return _byNumber.TryGetValue(value, out index);
    }

    public bool TryMatch(ReadOnlySpan<char> text, out int index)
    {
        text = text.Trim();
        if (_textLookup.TryGetValue(text, out index) || _textIgnoringCaseLookup.TryGetValue(text, out index))
            return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && _byNumber.TryGetValue(number, out index);
    }

    public override string ToString() => string.Join(", ", Names);

    private static List<T> Distinct<T>(IReadOnlyList<T> classes)
    {
        var list = classes.ToList();
        if (list.Count < 1 || list.Distinct().Count() != list.Count)
            throw new EvaluationInputException($"The model's class labels ({string.Join(", ", list)}) are empty or repeat a class.");
        return list;
    }
}
