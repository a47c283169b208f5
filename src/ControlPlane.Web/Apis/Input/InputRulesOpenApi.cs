using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ControlPlane.Web.Apis.Input;

/// <summary>
/// Shows in the OpenAPI document the maximum length that <see cref="InputRules"/> enforces on every string a request
/// carries (route, query, body): the declared one, or the default. Response-only schemas are left as they are.
/// </summary>
public static class InputRulesOpenApi
{
    public static OpenApiOptions AddInputRules(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (IsPlainString(schema) && context.JsonPropertyInfo?.AttributeProvider is { } member && InputRules.MaxLengthOf(member) is var max && max != InputRules.DefaultMaxLength)
                schema.MaxLength = max;
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
            foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            {
                foreach (var parameter in operation.Parameters ?? [])
                    Apply(document, parameter.Schema, seen);
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                    Apply(document, media.Schema, seen);
            }
            return Task.CompletedTask;
        });
        return options;
    }

    private static void Apply(OpenApiDocument document, IOpenApiSchema? schema, HashSet<IOpenApiSchema> seen)
    {
        if (schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id && document.Components?.Schemas?.TryGetValue(id, out var target) == true)
            schema = target;
        if (schema is null || !seen.Add(schema))
            return;
        if (schema is OpenApiSchema concrete && IsPlainString(concrete))
            concrete.MaxLength ??= InputRules.DefaultMaxLength;
        foreach (var inner in (schema.Properties?.Values ?? []).Append(schema.Items).Append(schema.AdditionalProperties)
                     .Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AllOf ?? []))
            Apply(document, inner, seen);
    }

    private static bool IsPlainString(IOpenApiSchema schema) =>
        schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && schema.Enum is not { Count: > 0 } && string.IsNullOrEmpty(schema.Format);
}
