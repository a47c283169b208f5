using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Tests.Governance;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Security review §2 and §8: walks the OpenAPI document and sends every enum it declares a value outside its set, and
/// every string it bounds one character more than its maximum, in each request body, query and route value. Each must be
/// a 400 ProblemDetails naming that field; nothing may reach a handler.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class OpenApiInputWalkTests(ControlPlaneWebFactory app)
{
    private sealed record Probe(string Method, string Url, string? Body, string Field, string What);

    [Fact]
    public async Task Every_enum_in_the_document_refuses_an_undefined_value_naming_the_field()
    {
        var probes = await ProbesAsync(enums: true);
        Assert.True(probes.Count >= 30, $"only {probes.Count} enum probes: the walk is not reading the document");
        await AssertAllRefusedAsync(probes);
    }

    [Fact]
    public async Task Every_string_a_request_carries_has_a_declared_maximum_that_is_enforced()
    {
        var document = await DocumentAsync();
        var unbounded = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                if (IsPlainString(Resolve(document, parameter!["schema"])) is true && Resolve(document, parameter["schema"])!["maxLength"] is null)
                    unbounded.Add($"{method} {path} {parameter["name"]}");
            if (Resolve(document, JsonBody(operation)) is { } body)
                foreach (var (field, schema) in Fields(document, body, ""))
                    if (IsPlainString(schema) is true && schema["maxLength"] is null)
                        unbounded.Add($"{method} {path} {field}");
        }
        Assert.Empty(unbounded);

        var probes = await ProbesAsync(enums: false);
        Assert.True(probes.Count > 50, $"only {probes.Count} string probes");
        await AssertAllRefusedAsync(probes);
    }

    private async Task AssertAllRefusedAsync(List<Probe> probes)
    {
        var (_, client) = await app.UserAsync(ControlPlaneRoles.Admin, ControlPlaneRoles.DataScientist, ControlPlaneRoles.ComplianceReviewer);
        var failures = new List<string>();
        foreach (var probe in probes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Url);
            if (probe.Body is not null)
                request.Content = new StringContent(probe.Body, Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var named = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && JsonNode.Parse(text)?["errors"]?.AsObject().ContainsKey(probe.Field) == true;
            if (response.StatusCode != HttpStatusCode.BadRequest || !named)
                failures.Add($"{probe.Method} {probe.Url[..Math.Min(probe.Url.Length, 90)]} {probe.What} {probe.Field}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} probes not refused as expected:\n{string.Join("\n", failures)}");
    }

    private async Task<List<Probe>> ProbesAsync(bool enums)
    {
        var document = await DocumentAsync();
        var probes = new List<Probe>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => p!).ToList();
            string Url(string? field, string? value)
            {
                var url = path;
                var query = new List<string>();
                foreach (var p in parameters)
                {
                    var name = p["name"]!.GetValue<string>();
                    var v = name == field ? value! : Valid(Resolve(document, p["schema"])!);
                    if (p["in"]!.GetValue<string>() == "path")
                        url = url.Replace($"{{{name}}}", Uri.EscapeDataString(v));
                    else if (name == field || p["required"]?.GetValue<bool>() == true)
                        query.Add($"{name}={Uri.EscapeDataString(v)}");
                }
                return query.Count == 0 ? url : $"{url}?{string.Join('&', query)}";
            }
            var body = Resolve(document, JsonBody(operation));
            var emptyBody = body is null ? null : "{}";
            foreach (var p in parameters)
            {
                var schema = Resolve(document, p["schema"])!;
                var name = p["name"]!.GetValue<string>();
                if (enums && schema["enum"] is not null)
                {
                    probes.Add(new(method, Url(name, "99"), emptyBody, name, "99"));
                    probes.Add(new(method, Url(name, "NotAValue"), emptyBody, name, "NotAValue"));
                }
                else if (!enums && IsPlainString(schema) is true && schema["maxLength"]?.GetValue<int>() is { } max)
                    probes.Add(new(method, Url(name, new string('a', max + 1)), emptyBody, name, $"{max + 1} chars"));
            }
            if (body is null)
                continue;
            foreach (var (field, schema) in Fields(document, body, ""))
            {
                if (enums && schema["enum"] is not null)
                {
                    probes.Add(new(method, Url(null, null), Nest(field, JsonValue.Create(99)), field, "99"));
                    probes.Add(new(method, Url(null, null), Nest(field, JsonValue.Create("NotAValue")), field, "\"NotAValue\""));
                }
                else if (!enums && IsPlainString(schema) is true && schema["maxLength"]?.GetValue<int>() is { } max)
                    probes.Add(new(method, Url(null, null), Nest(field, JsonValue.Create(new string('a', max + 1))), field, $"{max + 1} chars"));
            }
        }
        return probes;
    }

    /// <summary>Every field a body schema reaches (arrays as [0], dictionaries skipped), with its resolved schema.</summary>
    private static IEnumerable<(string Field, JsonNode Schema)> Fields(JsonNode document, JsonNode schema, string at, int depth = 0)
    {
        if (depth > 6)
            yield break;
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var resolved = Resolve(document, property)!;
            var field = at.Length == 0 ? name : $"{at}.{name}";
            yield return (field, resolved);
            foreach (var inner in Fields(document, resolved, field, depth + 1))
                yield return inner;
            if (Resolve(document, resolved["items"]) is { } items)
            {
                yield return ($"{field}[0]", items);
                foreach (var inner in Fields(document, items, $"{field}[0]", depth + 1))
                    yield return inner;
            }
        }
    }

    /// <summary>{"a":{"b":[{"c":value}]}} for the field a.b[0].c.</summary>
    private static string Nest(string field, JsonNode value)
    {
        var node = value;
        foreach (var part in field.Split('.').Reverse())
        {
            var array = part.EndsWith("[0]", StringComparison.Ordinal);
            node = new JsonObject { [array ? part[..^3] : part] = array ? new JsonArray(node) : node };
        }
        return node.ToJsonString();
    }

    private static string Valid(JsonNode schema) =>
        schema["enum"]?[0]?.GetValue<string>()
        ?? (schema["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString()
            : schema["format"]?.GetValue<string>() == "date-time" ? "2026-01-01T00:00:00Z"
            : Types(schema).Contains("integer") || Types(schema).Contains("number") ? "1"
            : Types(schema).Contains("boolean") ? "false" : "x");

    private static bool? IsPlainString(JsonNode? schema) =>
        schema is null ? null : Types(schema).Contains("string") && schema["enum"] is null && schema["format"] is null;

    private static List<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    private static JsonNode? JsonBody(JsonNode operation) =>
        operation["requestBody"]?["content"]?["application/json"]?["schema"];

    /// <summary>A schema with its reference followed; a nullable one (oneOf null and a reference) as the referenced schema.</summary>
    private static JsonNode? Resolve(JsonNode document, JsonNode? schema) =>
        schema?["$ref"]?.GetValue<string>() is { } reference ? document["components"]!["schemas"]![reference.Split('/')[^1]]
        : schema?["oneOf"]?.AsArray().FirstOrDefault(s => s?["$ref"] is not null) is { } nullable ? Resolve(document, nullable)
        : schema;

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "post" or "put" or "patch" or "delete"
        select (path.Key, op.Key.ToUpperInvariant(), op.Value!);

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = app.ClientWithToken(null);
        return JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
    }
}
