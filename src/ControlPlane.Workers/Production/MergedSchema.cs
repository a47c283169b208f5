using Parquet.Schema;

namespace ControlPlane.Workers.Production;

/// <summary>
/// The union of the sources' columns, in the order they first appear. A column keeps its type (a timestamp its unit
/// and UTC flag, from the first source that has it) and becomes nullable where any source lacks it or allows nulls.
/// </summary>
internal static class MergedSchema
{
    public static ParquetSchema Union(IReadOnlyList<(string File, ParquetSchema Schema)> sources)
    {
        var first = new Dictionary<string, DataField>(StringComparer.Ordinal);
        var order = new List<string>();
        var nullable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, schema) in sources)
        {
            if (schema.Fields.Count != schema.DataFields.Length || schema.DataFields.Any(f => f.IsArray))
                throw new InvalidDataException($"{file} has nested or repeated columns, which telemetry files never have.");
            foreach (var field in schema.DataFields)
            {
                if (first.TryGetValue(field.Name, out var seen))
                {
                    if (seen.ClrType != field.ClrType)
                        throw new InvalidDataException($"The column {field.Name} is {seen.ClrType.Name} in one segment and {field.ClrType.Name} in {file}.");
                }
                else
                {
                    first[field.Name] = field;
                    order.Add(field.Name);
                }
                if (field.IsNullable)
                    nullable.Add(field.Name);
            }
        }
        foreach (var name in order.Where(n => sources.Any(s => s.Schema.DataFields.All(f => f.Name != n))))
            nullable.Add(name);
        return new ParquetSchema(order.Select(n => Redeclare(first[n], nullable.Contains(n))));
    }

    private static DataField Redeclare(DataField field, bool nullable) => field switch
    {
        DateTimeDataField t => new DateTimeDataField(t.Name, t.DateTimeFormat, t.IsAdjustedToUTC, t.Unit, nullable),
        _ when field.GetType() != typeof(DataField) && !field.GetType().IsGenericType =>
            throw new InvalidDataException($"The column {field.Name} has a Parquet type ({field.GetType().Name}) that telemetry files never have."),
        _ when field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string) => new DataField<string>(field.Name, nullable),
        _ => new DataField(field.Name, field.ClrType, nullable),
    };
}
