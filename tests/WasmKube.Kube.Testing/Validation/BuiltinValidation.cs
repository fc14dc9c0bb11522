using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Validation;

/// <summary>
/// The validations of built-in types that controllers most often run into (pkg/apis/apps/validation,
/// pkg/apis/core/validation): required fields, Deployment selector/template agreement and immutability, Service
/// ports and clusterIP immutability. Values in messages are rendered as JSON rather than Go syntax.
/// </summary>
internal static class BuiltinValidation
{
    public static void Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        switch (type.Group, type.Plural)
        {
            case ("apps", "deployments" or "replicasets" or "daemonsets"):
                ValidateWorkload(obj, old, errors);
                break;
            case ("", "services"):
                ValidateService(obj, old, errors);
                break;
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, (string?)obj["metadata"]?["name"] ?? "", errors);
        }
    }

    static string Render(JsonNode? node) => node?.ToJsonString() ?? "null";

    static void ValidateWorkload(JsonObject obj, JsonObject? old, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        var selector = spec?["selector"] as JsonObject;
        if (selector is null || (selector["matchLabels"] is not JsonObject { Count: > 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 }))
        {
            errors.Add(new("spec.selector", "FieldValueRequired", "Required value"));
        }
        var labels = spec?["template"]?["metadata"]?["labels"] as JsonObject;
        if (selector?["matchLabels"] is JsonObject matchLabels
            && matchLabels.Any(p => labels is null || !JsonNode.DeepEquals(labels[p.Key], p.Value)))
        {
            errors.Add(new("spec.template.metadata.labels", "FieldValueInvalid", $"Invalid value: {Render(labels)}: `selector` does not match template `labels`"));
        }
        if (old is not null && !JsonNode.DeepEquals(old["spec"]?["selector"], spec?["selector"]))
        {
            errors.Add(new("spec.selector", "FieldValueInvalid", $"Invalid value: {Render(selector)}: field is immutable"));
        }
        var containers = spec?["template"]?["spec"]?["containers"] as JsonArray;
        if (containers is null || containers.Count == 0)
        {
            errors.Add(new("spec.template.spec.containers", "FieldValueRequired", "Required value"));
            return;
        }
        var names = new HashSet<string>();
        for (var i = 0; i < containers.Count; i++)
        {
            var name = (string?)containers[i]?["name"];
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(new($"spec.template.spec.containers[{i}].name", "FieldValueRequired", "Required value"));
            }
            else if (!names.Add(name))
            {
                errors.Add(new($"spec.template.spec.containers[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{name}\""));
            }
            if (string.IsNullOrEmpty((string?)containers[i]?["image"]))
            {
                errors.Add(new($"spec.template.spec.containers[{i}].image", "FieldValueRequired", "Required value"));
            }
        }
    }

    static void ValidateService(JsonObject obj, JsonObject? old, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        var ports = spec?["ports"] as JsonArray ?? [];
        var type = (string?)spec?["type"];
        var headless = (string?)spec?["clusterIP"] == "None";
        if (ports.Count == 0 && type != "ExternalName" && !headless)
        {
            errors.Add(new("spec.ports", "FieldValueRequired", "Required value"));
        }
        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var number = port?["port"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
            if (number is < 1 or > 65535)
            {
                errors.Add(new($"spec.ports[{i}].port", "FieldValueInvalid", $"Invalid value: {number}: must be between 1 and 65535, inclusive"));
            }
            var name = (string?)port?["name"];
            if (ports.Count > 1 && string.IsNullOrEmpty(name))
            {
                errors.Add(new($"spec.ports[{i}].name", "FieldValueRequired", "Required value"));
            }
            else if (!string.IsNullOrEmpty(name) && !names.Add(name))
            {
                errors.Add(new($"spec.ports[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{name}\""));
            }
        }
        var oldIp = (string?)old?["spec"]?["clusterIP"];
        var newIp = (string?)spec?["clusterIP"];
        if (!string.IsNullOrEmpty(oldIp) && !string.IsNullOrEmpty(newIp) && oldIp != newIp)
        {
            errors.Add(new("spec.clusterIP", "FieldValueInvalid", $"Invalid value: \"{newIp}\": field is immutable"));
        }
    }
}
