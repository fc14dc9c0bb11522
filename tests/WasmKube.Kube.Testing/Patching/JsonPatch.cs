using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;

namespace WasmKube.Kube.Testing.Patching;

/// <summary>JSON patch, RFC 6902 (application/json-patch+json), with JSON pointers per RFC 6901.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json patch must be a JSON array of operations");
        }
        JsonNode document = target.DeepClone();
        foreach (var operation in operations)
        {
            var op = (string?)operation?["op"] ?? throw ApiException.BadRequest("json patch operation without \"op\"");
            var path = (string?)operation!["path"] ?? throw ApiException.BadRequest($"json patch {op} operation without \"path\"");
            switch (op)
            {
                case "add":
                    Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Resolve(document, From(operation, op)).DeepClone();
                    Remove(document, From(operation, op));
                    Add(document, path, moved);
                    break;
                case "copy":
                    Add(document, path, Resolve(document, From(operation, op))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(document, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }
                    break;
                default:
                    throw ApiException.BadRequest($"json patch operation \"{op}\" is not one of add, remove, replace, move, copy, test");
            }
        }
        return document as JsonObject ?? throw ApiException.BadRequest("json patch replaced the whole object with a non-object");
    }

    static string From(JsonNode operation, string op) =>
        (string?)operation["from"] ?? throw ApiException.BadRequest($"json patch {op} operation without \"from\"");

    static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw ApiException.BadRequest($"invalid JSON pointer \"{pointer}\": must start with '/'");
        }
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    static JsonNode Resolve(JsonNode document, string pointer)
    {
        var node = document;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) && child is not null => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count && a[i] is { } item => item,
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} does not exist"),
            };
        }
        return node;
    }

    static (JsonNode Parent, string Last) Parent(JsonNode document, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            throw ApiException.BadRequest("json patch cannot address the whole document");
        }
        var parentPointer = "/" + string.Join("/", tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1")));
        return (tokens.Length == 1 ? document : Resolve(document, parentPointer), tokens[^1]);
    }

    static void Add(JsonNode document, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at {pointer}");
        }
    }

    static void Remove(JsonNode document, string pointer)
    {
        var (parent, last) = Parent(document, pointer);
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} does not exist");
        }
    }

    static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }
}
