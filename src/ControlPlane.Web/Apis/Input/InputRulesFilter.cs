using System.Reflection;
using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Apis.Input;

/// <summary>
/// Applies <see cref="InputRules"/> to every argument an endpoint binds from the request (route, query, body), before
/// the handler runs: one 400 ProblemDetails naming each field that breaks a rule. Services are not inspected.
/// </summary>
public static class InputRulesFilter
{
    public static TBuilder CheckInputRules<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checks = context.MethodInfo.GetParameters()
            .Select((p, i) => (Index: i, Name: FieldName(p), Check: IsBound(p, services) ? InputRules.For(p.ParameterType, InputRules.MaxLengthOf(p)) : null))
            .Where(c => c.Check is not null).ToArray();
        if (checks.Length == 0)
            return next;
        return invocation =>
        {
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (index, name, check) in checks)
                if (invocation.Arguments[index] is { } value)
                    check!(value, name, errors);
            if (errors.Count > 0)
                throw new ValidationException($"Check {string.Join(", ", errors.Keys)}: {string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))}",
                    errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
            return next(invocation);
        };
    }

    private static bool IsBound(ParameterInfo parameter, IServiceProviderIsService? services) =>
        parameter.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromServicesAttribute>() is null
        && parameter.ParameterType != typeof(HttpContext) && parameter.ParameterType != typeof(CancellationToken)
        && services?.IsService(parameter.ParameterType) != true;

    /// <summary>A body is named by its own fields; a route or query value by its parameter name.</summary>
    private static string FieldName(ParameterInfo parameter) =>
        parameter.ParameterType.Namespace?.StartsWith("ControlPlane", StringComparison.Ordinal) == true && !parameter.ParameterType.IsEnum
            && Nullable.GetUnderlyingType(parameter.ParameterType) is null ? "" : parameter.Name!;
}
