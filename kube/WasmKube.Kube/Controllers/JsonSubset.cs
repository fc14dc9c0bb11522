using System.Text.Json;
using System.Text.Json.Nodes;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>
/// "Does the live object already say everything the desired one says?" The server adds defaults (so extra fields in the
/// live object are fine), drops empty lists and maps, and canonicalises quantities (0.5 vs 500m) - none of that is drift.
/// This is what keeps a reconcile with nothing to do free of writes.
/// </summary>
public static class JsonSubset
{
    public static bool Contains(JsonNode? actual, JsonNode? desired)
    {
        switch (desired)
        {
            case null:
                return true;
            case JsonObject wanted:
                if (wanted.Count == 0)
                {
                    return actual is null or JsonObject;
                }
                if (actual is not JsonObject have)
                {
                    return false;
                }
                foreach (var (name, value) in wanted)
                {
                    if (!Contains(have[name], value))
                    {
                        return false;
                    }
                }
                return true;
            case JsonArray wantedItems:
                if (wantedItems.Count == 0)
                {
                    return actual is null || (actual is JsonArray { Count: 0 });
                }
                if (actual is not JsonArray haveItems || haveItems.Count != wantedItems.Count)
                {
                    return false;
                }
                for (var i = 0; i < wantedItems.Count; i++)
                {
                    if (!Contains(haveItems[i], wantedItems[i]))
                    {
                        return false;
                    }
                }
                return true;
            default:
                // Go's omitempty drops "", false and 0, so the server leaves such a field out.
                return actual is null ? IsZero(desired) : actual is JsonValue && ScalarEquals(actual, desired);
        }
    }

    /// <summary>Serializes both objects through their JSON contract and compares them with <see cref="Contains(JsonNode?, JsonNode?)"/>.</summary>
    public static bool Contains<T>(T actual, T desired)
        where T : class, IKubernetesObject<T> =>
        Contains(JsonSerializer.SerializeToNode(actual, T.Definition.TypeInfo), JsonSerializer.SerializeToNode(desired, T.Definition.TypeInfo));

    private static bool IsZero(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().Length == 0,
        JsonValueKind.False => true,
        JsonValueKind.Number => value.GetValue<decimal>() == 0,
        _ => false,
    };

    private static bool ScalarEquals(JsonNode actual, JsonNode desired)
    {
        if (JsonNode.DeepEquals(actual, desired))
        {
            return true;
        }
        // Quantities: the same amount may be written differently ("1" vs 1, "0.5" vs "500m", "1024Mi" vs "1Gi").
        var left = actual.ToJsonString().Trim('"');
        var right = desired.ToJsonString().Trim('"');
        return ResourceQuantity.TryParse(left, out var a) && ResourceQuantity.TryParse(right, out var b) && a == b;
    }
}
