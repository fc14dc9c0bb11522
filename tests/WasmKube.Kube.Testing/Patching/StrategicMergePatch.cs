using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Patching;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) without the Go struct tags: a merge patch whose
/// lists of objects merge by the patchMergeKey the built-in types declare for that field name (containers by name,
/// volumeMounts by mountPath, ...), and which honours the directives kubectl generates: $patch (replace/delete/merge),
/// $retainKeys, $deleteFromPrimitiveList/&lt;field&gt; and $setElementOrder/&lt;field&gt; (the order is accepted and ignored).
/// Other lists are replaced, as for fields without a merge strategy.
/// </summary>
internal static class StrategicMergePatch
{
    static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
    };

    /// <summary>Primitive lists with the "merge" strategy (union instead of replace).</summary>
    static readonly HashSet<string> MergedPrimitiveLists = ["finalizers"];

    public static JsonObject Apply(JsonObject target, JsonObject patch) => MergeObject(target.DeepClone().AsObject(), patch);

    static JsonObject MergeObject(JsonObject target, JsonObject patch)
    {
        var directive = (string?)patch["$patch"];
        if (directive == "replace")
        {
            var replacement = patch.DeepClone().AsObject();
            replacement.Remove("$patch");
            return replacement;
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$') && key is "$patch" or "$retainKeys")
            {
                continue;
            }
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }
                continue;
            }
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            if (value is JsonObject childPatch && (string?)childPatch["$patch"] == "delete")
            {
                target.Remove(key);
                continue;
            }
            target[key] = (target[key], value) switch
            {
                (JsonObject existing, JsonObject childPatch2) => MergeObject(existing.DeepClone().AsObject(), childPatch2),
                (JsonArray existing, JsonArray patchList) => MergeList(key, existing, patchList),
                (_, JsonObject newObject) => MergeObject(new JsonObject(), newObject),
                (_, JsonArray newList) => MergeList(key, new JsonArray(), newList),
                _ => value.DeepClone(),
            };
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet();
            foreach (var (key, _) in target.ToList())
            {
                if (!keep.Contains(key))
                {
                    target.Remove(key);
                }
            }
        }
        return target;
    }

    static JsonArray MergeList(string field, JsonArray target, JsonArray patch)
    {
        if (patch.Any(p => p is JsonObject o && (string?)o["$patch"] == "replace"))
        {
            return new JsonArray(patch.Where(p => !(p is JsonObject o && o.ContainsKey("$patch"))).Select(p => p?.DeepClone()).ToArray());
        }
        if (MergedPrimitiveLists.Contains(field))
        {
            var union = target.DeepClone().AsArray();
            foreach (var item in patch.Where(p => !union.Any(u => JsonNode.DeepEquals(u, p))))
            {
                union.Add(item?.DeepClone());
            }
            return union;
        }
        var mergeKey = MergeKey(field, patch);
        if (mergeKey is null || !patch.All(p => p is JsonObject))
        {
            return new JsonArray(patch.Select(p => p?.DeepClone()).ToArray());
        }
        var result = target.DeepClone().AsArray();
        foreach (var element in patch.Cast<JsonObject>())
        {
            var keyValue = element[mergeKey];
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i] is JsonObject candidate && JsonNode.DeepEquals(candidate[mergeKey], keyValue))
                {
                    index = i;
                    break;
                }
            }
            var isDelete = (string?)element["$patch"] == "delete";
            if (isDelete)
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                result[index] = MergeObject(result[index]!.DeepClone().AsObject(), element);
            }
            else
            {
                result.Add(MergeObject(new JsonObject(), element));
            }
        }
        return result;
    }

    internal static string? MergeKey(string field, JsonArray patch)
    {
        if (field == "ports")
        {
            return patch.All(p => p is JsonObject o && o.ContainsKey("containerPort")) ? "containerPort" : "port";
        }
        return MergeKeys.GetValueOrDefault(field);
    }
}
