using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Validation;

/// <summary>
/// What happens to an object between decoding and storage: schema defaulting/pruning/validation for custom resources
/// and the defaulting functions of the built-in types (pkg/apis/*/v1/defaults.go), so that clients see the same
/// server-filled fields as on a real cluster (an operator that diffs desired against live state must cope with them).
/// </summary>
internal static class Admission
{
    public static void Prepare(ResourceType type, JsonObject obj, JsonObject? old, FieldCheck fieldCheck)
    {
        if (type.IsCustom)
        {
            if (type.Schema is not null)
            {
                var pruned = new List<string>();
                var errors = SchemaValidator.DefaultPruneAndValidate(obj, type.Schema, pruned);
                if (pruned.Count > 0 && fieldCheck.Mode == "Strict")
                {
                    // apiserver's strict decoding error (fieldValidation=Strict, what kubectl sends).
                    throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: "
                        + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
                }
                if (fieldCheck.Mode == "Warn")
                {
                    fieldCheck.Warnings.AddRange(pruned.Select(p => $"unknown field \"{p}\""));
                }
                if (errors.Count > 0)
                {
                    throw ApiException.Invalid(type.Kind, type.Group, (string?)obj["metadata"]?["name"] ?? "", errors);
                }
            }
            return;
        }
        switch (type.Group, type.Plural)
        {
            case ("apps", "deployments"):
                DefaultDeployment(obj, old);
                break;
            case ("", "services"):
                DefaultService(obj, old);
                break;
            case ("", "pods"):
                if (obj["spec"] is JsonObject podSpec)
                {
                    DefaultPodSpec(podSpec);
                }
                if (old is null)
                {
                    obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
                }
                break;
            case ("", "namespaces"):
                if (old is null)
                {
                    obj["status"] ??= new JsonObject { ["phase"] = "Active" };
                }
                break;
            case ("", "secrets"):
                // Empty counts as unset, as in kube-apiserver's defaulting (protobuf bodies carry "").
                if (string.IsNullOrEmpty((string?)obj["type"]))
                {
                    obj["type"] = "Opaque";
                }
                break;
        }
        BuiltinValidation.Validate(type, obj, old);
    }

    static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = new JsonObject();
            parent[name] = child;
        }
        return child;
    }

    static void DefaultDeployment(JsonObject deployment, JsonObject? old)
    {
        var spec = Child(deployment, "spec");
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        var strategy = Child(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if ((string?)strategy["type"] == "RollingUpdate")
        {
            var rolling = Child(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= "25%";
            rolling["maxSurge"] ??= "25%";
        }
        if (spec["template"]?["spec"] is JsonObject podSpec)
        {
            DefaultPodSpec(podSpec);
        }
        if (old is null)
        {
            deployment["status"] ??= new JsonObject();
        }
    }

    static void DefaultPodSpec(JsonObject podSpec)
    {
        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in podSpec[list] as JsonArray ?? [])
            {
                if (container is not JsonObject c)
                {
                    continue;
                }
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["resources"] ??= new JsonObject();
                if (c["imagePullPolicy"] is null)
                {
                    var image = (string?)c["image"] ?? "";
                    var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                    var tagged = lastSegment.Contains(':') && !lastSegment.EndsWith(":latest", StringComparison.Ordinal);
                    c["imagePullPolicy"] = tagged || image.Contains('@') ? "IfNotPresent" : "Always";
                }
                foreach (var port in c["ports"] as JsonArray ?? [])
                {
                    if (port is JsonObject p)
                    {
                        p["protocol"] ??= "TCP";
                    }
                }
            }
        }
    }

    static void DefaultService(JsonObject service, JsonObject? old)
    {
        var spec = Child(service, "spec");
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if ((string?)spec["type"] != "ExternalName")
        {
            // clusterIP is allocated once and immutable: an update that omits it keeps the allocated one.
            spec["clusterIP"] ??= old?["spec"]?["clusterIP"]?.DeepClone() ?? $"10.96.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
            spec["clusterIPs"] ??= new JsonArray(spec["clusterIP"]!.DeepClone());
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }
        foreach (var port in spec["ports"] as JsonArray ?? [])
        {
            if (port is JsonObject p)
            {
                p["protocol"] ??= "TCP";
                p["targetPort"] ??= p["port"]?.DeepClone();
            }
        }
        if (old is null)
        {
            service["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }
}
