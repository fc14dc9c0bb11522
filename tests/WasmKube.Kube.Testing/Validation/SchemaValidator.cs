using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WasmKube.Kube.Testing.Http;

namespace WasmKube.Kube.Testing.Validation;

/// <summary>
/// Defaulting, pruning and validation of custom resources against a structural openAPIV3Schema, in the order the
/// apiextensions-apiserver applies them (default, prune unknown fields, validate). Covered keywords: type, properties,
/// additionalProperties, items, required, enum, minimum/maximum (and exclusive forms), minLength/maxLength, pattern,
/// minItems/maxItems, nullable, default, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string,
/// x-kubernetes-embedded-resource. Not evaluated: x-kubernetes-validations (CEL rules), format, anyOf/oneOf/allOf/not,
/// list-type uniqueness; a CRD that relies on them gets less validation here than on a real cluster.
/// Error texts follow kube-openapi's validate package ("spec.replicas in body should be greater than or equal to 0").
/// </summary>
internal static class SchemaValidator
{
    public static List<FieldError> DefaultPruneAndValidate(JsonObject obj, JsonObject schema, List<string> pruned)
    {
        var errors = new List<FieldError>();
        var properties = schema["properties"] as JsonObject;
        foreach (var (key, _) in obj.ToList())
        {
            if (key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }
            if (properties?[key] is not JsonObject && !PreservesUnknown(schema))
            {
                obj.Remove(key);
                pruned.Add(key);
            }
        }
        ApplyDefaults(obj, schema);
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }
            if (properties?[key] is JsonObject child)
            {
                Walk(obj, key, value, child, key, errors, pruned);
            }
        }
        CheckRequired(obj, schema, "", errors);
        return errors;
    }

    static bool PreservesUnknown(JsonObject schema) => (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;

    static void ApplyDefaults(JsonObject obj, JsonObject schema)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }
        foreach (var (name, propertySchema) in properties)
        {
            if (!obj.ContainsKey(name) && propertySchema?["default"] is { } value)
            {
                obj[name] = value.DeepClone();
            }
        }
    }

    static void CheckRequired(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            var name = (string?)required;
            if (name is not null && (!obj.TryGetPropertyValue(name, out var v) || v is null))
            {
                errors.Add(new FieldError(Join(path, name), "FieldValueRequired", "Required value"));
            }
        }
    }

    static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>Validates <paramref name="value"/> (found at parent[key]), defaulting and pruning beneath it.</summary>
    static void Walk(JsonNode parent, object key, JsonNode? value, JsonObject schema, string path, List<FieldError> errors, List<string> pruned)
    {
        if (value is null)
        {
            if ((bool?)schema["nullable"] != true)
            {
                // Non-nullable nulls are dropped, as the structural pruning does.
                if (parent is JsonObject o && key is string k)
                {
                    o.Remove(k);
                }
                else
                {
                    errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"null\": {path} in body must be of type {schema["type"]}: \"null\""));
                }
            }
            return;
        }
        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            if (value.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String))
            {
                errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: {Render(value)}: {path} in body must be of type integer or string"));
                return;
            }
        }
        else if ((string?)schema["type"] is { } type && !HasType(value, type))
        {
            errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"{KindName(value)}\": {path} in body must be of type {type}: \"{KindName(value)}\""));
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            var supported = string.Join(", ", allowed.Select(Render));
            errors.Add(new FieldError(path, "FieldValueNotSupported", $"Unsupported value: {Render(value)}: supported values: {supported}"));
        }
        switch (value)
        {
            case JsonObject obj:
                WalkObject(obj, schema, path, errors, pruned);
                break;
            case JsonArray array:
                if (schema["minItems"] is JsonNode minItems && array.Count < (long)minItems)
                {
                    errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {array.Count}: {path} in body should have at least {minItems} items"));
                }
                if (schema["maxItems"] is JsonNode maxItems && array.Count > (long)maxItems)
                {
                    errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {array.Count}: must have at most {maxItems} items"));
                }
                if (schema["items"] is JsonObject itemSchema)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array, i, array[i], itemSchema, $"{path}[{i}]", errors, pruned);
                    }
                }
                CheckListType(array, schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                CheckNumber(scalar.GetValue<JsonElement>().GetDouble(), schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                CheckString(scalar.GetValue<string>(), schema, path, errors);
                break;
        }
    }

    static void WalkObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors, List<string> pruned)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        if (properties is not null || additional is JsonObject || !PreservesUnknown(schema))
        {
            foreach (var (name, _) in obj.ToList())
            {
                var known = properties?.ContainsKey(name) == true || additional is JsonObject || (additional is JsonValue a && (bool)a);
                var embeddedMeta = (bool?)schema["x-kubernetes-embedded-resource"] == true && name is "apiVersion" or "kind" or "metadata";
                if (!known && !embeddedMeta && !PreservesUnknown(schema))
                {
                    obj.Remove(name);
                    pruned.Add(Join(path, name));
                }
            }
        }
        ApplyDefaults(obj, schema);
        foreach (var (name, child) in obj.ToList())
        {
            var childSchema = properties?[name] as JsonObject ?? additional as JsonObject;
            if (childSchema is not null)
            {
                Walk(obj, name, child, childSchema, Join(path, name), errors, pruned);
            }
        }
        CheckRequired(obj, schema, path, errors);
    }

    /// <summary>x-kubernetes-list-type set (unique items) and map (unique x-kubernetes-list-map-keys tuples).</summary>
    static void CheckListType(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        var listType = (string?)schema["x-kubernetes-list-type"];
        if (listType is not ("set" or "map"))
        {
            return;
        }
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => (string?)k ?? "").ToList() ?? [];
        var seen = new HashSet<string>();
        for (var i = 0; i < array.Count; i++)
        {
            var identity = listType == "set" || keys.Count == 0
                ? Render(array[i])
                : new JsonObject(keys.Select(k => KeyValuePair.Create(k, array[i]?[k]?.DeepClone()))).ToJsonString();
            if (!seen.Add(identity))
            {
                errors.Add(new FieldError($"{path}[{i}]", "FieldValueDuplicate", $"Duplicate value: {identity}"));
            }
        }
    }

    static void CheckNumber(double number, JsonObject schema, string path, List<FieldError> errors)
    {
        var text = number.ToString(CultureInfo.InvariantCulture);
        if (schema["minimum"] is JsonNode min)
        {
            var bound = (double)min;
            var exclusive = (bool?)schema["exclusiveMinimum"] == true;
            if (exclusive ? number <= bound : number < bound)
            {
                errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {text}: {path} in body should be greater than {(exclusive ? "" : "or equal to ")}{Render(min)}"));
            }
        }
        if (schema["maximum"] is JsonNode max)
        {
            var bound = (double)max;
            var exclusive = (bool?)schema["exclusiveMaximum"] == true;
            if (exclusive ? number >= bound : number > bound)
            {
                errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {text}: {path} in body should be less than {(exclusive ? "" : "or equal to ")}{Render(max)}"));
            }
        }
    }

    static void CheckString(string text, JsonObject schema, string path, List<FieldError> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (schema["minLength"] is JsonNode minLength && length < (long)minLength)
        {
            errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: \"{text}\": {path} in body should be at least {minLength} chars long"));
        }
        if (schema["maxLength"] is JsonNode maxLength && length > (long)maxLength)
        {
            errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes"));
        }
        if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: \"{text}\": {path} in body should match '{pattern}'"));
        }
    }

    static bool HasType(JsonNode value, string type) => (type, value.GetValueKind()) switch
    {
        ("object", JsonValueKind.Object) => true,
        ("array", JsonValueKind.Array) => true,
        ("string", JsonValueKind.String) => true,
        ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
        ("number", JsonValueKind.Number) => true,
        ("integer", JsonValueKind.Number) => value.GetValue<JsonElement>().TryGetInt64(out _),
        _ => false,
    };

    static string KindName(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value.GetValue<JsonElement>().TryGetInt64(out _) ? "integer" : "number",
        _ => "null",
    };

    static string Render(JsonNode? value) => value?.ToJsonString() ?? "null";
}
