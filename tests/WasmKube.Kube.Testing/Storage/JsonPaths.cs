using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>
/// The subset of Kubernetes JSONPath used by printer columns and scale paths: <c>.a.b</c>, <c>.a[0]</c>,
/// <c>.a[*].b</c> and <c>.a[?(@.type=="Ready")].status</c>.
/// </summary>
internal static class JsonPaths
{
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }
        if (text.StartsWith('$'))
        {
            text = text[1..];
        }
        var i = 0;
        while (i < text.Length && current.Count > 0)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '.' && text[end] != '[')
                {
                    end++;
                }
                var name = text[(i + 1)..end];
                current = current.Select(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v : null)
                    .Where(n => n is not null).ToList();
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    throw new FormatException($"unterminated '[' in JSONPath '{path}'");
                }
                // Filters may contain ']' only inside quotes; the simple form is enough for printer columns.
                var selector = text[(i + 1)..end];
                current = current.SelectMany(n => Select(n, selector)).ToList();
                i = end + 1;
            }
            else
            {
                throw new FormatException($"unsupported JSONPath '{path}' at position {i}");
            }
        }
        return current;
    }

    static IEnumerable<JsonNode?> Select(JsonNode? node, string selector)
    {
        if (node is not JsonArray array)
        {
            return [];
        }
        if (selector == "*")
        {
            return array;
        }
        if (int.TryParse(selector, out var index))
        {
            if (index < 0)
            {
                index += array.Count;
            }
            return index >= 0 && index < array.Count ? [array[index]] : [];
        }
        if (selector.StartsWith("?(@.") && selector.EndsWith(')'))
        {
            var condition = selector[4..^1];
            var eq = condition.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new FormatException($"unsupported JSONPath filter '{selector}'");
            }
            var field = condition[..eq].Trim();
            var expected = condition[(eq + 2)..].Trim().Trim('"', '\'');
            return array.Where(e => Evaluate(e, "." + field) is [var v] && Scalar(v) == expected);
        }
        throw new FormatException($"unsupported JSONPath selector '[{selector}]'");
    }

    public static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>Reads a plain dotted path (scale mappings): <c>.spec.replicas</c>.</summary>
    public static JsonNode? Get(JsonNode? root, string dottedPath)
    {
        var node = root;
        foreach (var part in dottedPath.TrimStart('.').Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Writes a plain dotted path, creating intermediate objects.</summary>
    public static void Set(JsonObject root, string dottedPath, JsonNode? value)
    {
        var parts = dottedPath.TrimStart('.').Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
    }
}
