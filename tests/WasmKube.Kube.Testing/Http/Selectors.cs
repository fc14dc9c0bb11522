using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Http;

/// <summary>Label selectors (equality and set-based, apimachinery labels.Parse) and field selectors.</summary>
internal static class Selectors
{
    public static Func<JsonObject, bool> Parse(ResourceType type, string? labelSelector, string? fieldSelector)
    {
        var labelTests = string.IsNullOrWhiteSpace(labelSelector) ? [] : SplitTopLevel(labelSelector).Select(ParseLabelRequirement).ToList();
        var fieldTests = string.IsNullOrWhiteSpace(fieldSelector) ? [] : SplitTopLevel(fieldSelector).Select(r => ParseFieldRequirement(type, r)).ToList();
        return obj =>
        {
            var labels = obj["metadata"]?["labels"] as JsonObject;
            return labelTests.All(t => t(labels)) && fieldTests.All(t => t(obj));
        };
    }

    static IEnumerable<string> SplitTopLevel(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return selector[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }
        yield return selector[start..].Trim();
    }

    static string? Label(JsonObject? labels, string key) =>
        labels is not null && labels.TryGetPropertyValue(key, out var v) ? JsonPaths.Scalar(v) : null;

    static Func<JsonObject?, bool> ParseLabelRequirement(string requirement)
    {
        if (requirement.Length == 0)
        {
            throw ApiException.BadRequest("unable to parse requirement: found '', expected: identifier");
        }
        if (requirement.StartsWith('!'))
        {
            var key = requirement[1..].Trim();
            return labels => Label(labels, key) is null;
        }
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = requirement[..at].Trim();
                var set = requirement[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw ApiException.BadRequest($"unable to parse requirement: \"{requirement}\": expected a parenthesised set of values");
                }
                var values = set[1..^1].Split(',').Select(v => v.Trim()).ToHashSet();
                return negate
                    ? labels => Label(labels, key) is not { } v || !values.Contains(v)
                    : labels => Label(labels, key) is { } v && values.Contains(v);
            }
        }
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = requirement[..at].Trim();
                var value = requirement[(at + op.Length)..].Trim();
                return negate ? labels => Label(labels, key) != value : labels => Label(labels, key) == value;
            }
        }
        var exists = requirement.Trim();
        return labels => Label(labels, exists) is not null;
    }

    static Func<JsonObject, bool> ParseFieldRequirement(ResourceType type, string requirement)
    {
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }
            var field = requirement[..at].Trim();
            var value = requirement[(at + op.Length)..].Trim();
            // Custom resources support only the metadata fields (selectableFields are not modelled).
            if (type.IsCustom && field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }
            return obj =>
            {
                var actual = JsonPaths.Scalar(JsonPaths.Get(obj, field)) ?? "";
                return negate ? actual != value : actual == value;
            };
        }
        throw ApiException.BadRequest($"invalid field selector: \"{requirement}\": expected field=value or field!=value");
    }
}
