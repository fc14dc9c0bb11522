using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>Reads apiextensions.k8s.io/v1 CustomResourceDefinition objects into served resource types.</summary>
internal static class CustomResourceDefinitions
{
    public static (string Group, string Plural) GroupAndPlural(JsonObject crd) =>
        ((string?)crd["spec"]?["group"] ?? "", (string?)crd["spec"]?["names"]?["plural"] ?? "");

    /// <summary>The structural checks the real server makes before accepting a CRD (a subset).</summary>
    public static void Validate(JsonObject crd)
    {
        var name = (string?)crd["metadata"]?["name"] ?? "";
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = (string?)spec?["group"];
        var plural = (string?)spec?["names"]?["plural"];
        var kind = (string?)spec?["names"]?["kind"];
        var scope = (string?)spec?["scope"];
        if (string.IsNullOrEmpty(group) || !group.Contains('.'))
        {
            errors.Add(new("spec.group", "FieldValueInvalid", $"Invalid value: \"{group}\": should be a domain with at least one dot"));
        }
        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(new("spec.names.plural", "FieldValueRequired", "Required value"));
        }
        if (string.IsNullOrEmpty(kind))
        {
            errors.Add(new("spec.names.kind", "FieldValueRequired", "Required value"));
        }
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }
        if (plural is not null && group is not null && name != $"{plural}.{group}")
        {
            errors.Add(new("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }
        var versions = spec?["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            errors.Add(new("spec.versions", "FieldValueInvalid", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => (bool?)v?["storage"] == true) != 1)
        {
            errors.Add(new("spec.versions", "FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version"));
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid("CustomResourceDefinition", "apiextensions.k8s.io", name, errors);
        }
    }

    public static IReadOnlyList<ResourceType> ToResourceTypes(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!;
        var group = (string)spec["group"]!;
        var result = new List<ResourceType>();
        foreach (var version in (JsonArray)spec["versions"]!)
        {
            if (version is not JsonObject v || (bool?)v["served"] == false)
            {
                continue;
            }
            var subresources = v["subresources"] as JsonObject;
            var scale = subresources?["scale"] is JsonObject s
                ? new ScaleMapping((string?)s["specReplicasPath"] ?? ".spec.replicas", (string?)s["statusReplicasPath"] ?? ".status.replicas", (string?)s["labelSelectorPath"])
                : null;
            var columns = new List<PrinterColumn>();
            foreach (var column in v["additionalPrinterColumns"] as JsonArray ?? [])
            {
                columns.Add(new PrinterColumn(
                    (string)column!["name"]!,
                    (string?)column["type"] ?? "string",
                    (string?)column["jsonPath"],
                    (int?)column["priority"] ?? 0,
                    (string?)column["description"] ?? "",
                    (string?)column["format"] ?? ""));
            }
            result.Add(new ResourceType(group, (string)v["name"]!, (string)names["plural"]!, (string)names["kind"]!,
                (string?)names["singular"] ?? ((string)names["kind"]!).ToLowerInvariant(), (string?)spec["scope"] != "Cluster")
            {
                ShortNames = (names["shortNames"] as JsonArray)?.Select(n => (string)n!).ToList() ?? [],
                Categories = (names["categories"] as JsonArray)?.Select(n => (string)n!).ToList() ?? [],
                HasStatus = subresources?["status"] is not null,
                Scale = scale,
                TracksGeneration = true,
                IsCustom = true,
                Columns = columns,
                Schema = v["schema"]?["openAPIV3Schema"] as JsonObject,
            });
        }
        return result;
    }

    /// <summary>The status the apiextensions controller writes once names are accepted and the CRD is established.</summary>
    public static JsonObject EstablishedStatus(JsonObject crd, string now)
    {
        var spec = (JsonObject)crd["spec"]!;
        var acceptedNames = spec["names"]!.DeepClone().AsObject();
        acceptedNames["singular"] ??= ((string)spec["names"]!["kind"]!).ToLowerInvariant();
        acceptedNames["listKind"] ??= (string)spec["names"]!["kind"]! + "List";
        var storage = ((JsonArray)spec["versions"]!).First(v => (bool?)v!["storage"] == true)!["name"]!.DeepClone();
        return new JsonObject
        {
            ["acceptedNames"] = acceptedNames,
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };
}
