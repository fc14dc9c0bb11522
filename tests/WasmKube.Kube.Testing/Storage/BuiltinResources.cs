using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>
/// The built-in resources the fixture serves, with the discovery data (short names, categories, subresources) and
/// printer columns of kube-apiserver 1.32 (pkg/printers/internalversion/printers.go).
/// </summary>
internal static class BuiltinResources
{
    static readonly PrinterColumn Age = new("Age", "date", ".metadata.creationTimestamp", Description: "CreationTimestamp is a timestamp representing the server time when this object was created.");

    static PrinterColumn Computed(string name, Func<JsonObject, object?> compute, int priority = 0, string type = "string") =>
        new(name, type, null, priority) { Compute = compute };

    static int Count(JsonNode? node) => node is JsonObject o ? o.Count : 0;

    static string Str(JsonNode? node) => JsonPaths.Scalar(node) ?? "";

    public static readonly IReadOnlyList<ResourceType> All =
    [
        new("", "v1", "namespaces", "Namespace", "namespace", false)
        {
            ShortNames = ["ns"], HasStatus = true,
            Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
            Columns = [Computed("Status", o => Str(o["status"]?["phase"])), Age],
        },
        new("", "v1", "configmaps", "ConfigMap", "configmap", true)
        {
            ShortNames = ["cm"],
            Columns = [Computed("Data", o => Count(o["data"]) + Count(o["binaryData"]), type: "integer"), Age],
        },
        new("", "v1", "secrets", "Secret", "secret", true)
        {
            Columns = [Computed("Type", o => Str(o["type"])), Computed("Data", o => Count(o["data"]), type: "integer"), Age],
        },
        new("", "v1", "services", "Service", "service", true)
        {
            ShortNames = ["svc"], Categories = ["all"], HasStatus = true,
            Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            Columns =
            [
                Computed("Type", o => Str(o["spec"]?["type"])),
                Computed("Cluster-IP", o => Str(o["spec"]?["clusterIP"])),
                Computed("External-IP", o => o["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 } a ? string.Join(",", a.Select(i => Str(i?["ip"]))) : "<none>"),
                Computed("Port(s)", ServicePorts),
                Age,
                Computed("Selector", o => o["spec"]?["selector"] is JsonObject s ? string.Join(",", s.Select(p => $"{p.Key}={Str(p.Value)}")) : "<none>", priority: 1),
            ],
        },
        new("", "v1", "pods", "Pod", "pod", true)
        {
            ShortNames = ["po"], Categories = ["all"], HasStatus = true,
            Columns =
            [
                Computed("Ready", o => $"{(o["status"]?["containerStatuses"] as JsonArray)?.Count(c => (bool?)c?["ready"] == true) ?? 0}/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}"),
                Computed("Status", o => Str(o["status"]?["phase"]) is { Length: > 0 } p ? p : "Pending"),
                Computed("Restarts", o => (o["status"]?["containerStatuses"] as JsonArray)?.Sum(c => (int?)c?["restartCount"] ?? 0) ?? 0, type: "integer"),
                Age,
                Computed("IP", o => Str(o["status"]?["podIP"]) is { Length: > 0 } ip ? ip : "<none>", priority: 1),
                Computed("Node", o => Str(o["spec"]?["nodeName"]) is { Length: > 0 } n ? n : "<none>", priority: 1),
            ],
        },
        new("", "v1", "events", "Event", "event", true)
        {
            ShortNames = ["ev"],
            Columns =
            [
                Computed("Type", o => Str(o["type"])),
                Computed("Reason", o => Str(o["reason"])),
                Computed("Object", o => $"{Str(o["involvedObject"]?["kind"]).ToLowerInvariant()}/{Str(o["involvedObject"]?["name"])}"),
                Computed("Message", o => Str(o["message"])),
                Age,
            ],
        },
        new("", "v1", "serviceaccounts", "ServiceAccount", "serviceaccount", true) { ShortNames = ["sa"], Columns = [Age] },
        new("", "v1", "endpoints", "Endpoints", "endpoints", true) { ShortNames = ["ep"], Columns = [Age] },
        new("", "v1", "nodes", "Node", "node", false)
        {
            ShortNames = ["no"], HasStatus = true,
            Columns =
            [
                Computed("Status", o => (o["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => Str(c?["type"]) == "Ready") is { } ready && Str(ready["status"]) == "True" ? "Ready" : "NotReady"),
                Computed("Roles", o => "<none>"),
                Age,
                Computed("Version", o => Str(o["status"]?["nodeInfo"]?["kubeletVersion"])),
            ],
        },
        new("apps", "v1", "deployments", "Deployment", "deployment", true)
        {
            ShortNames = ["deploy"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
            Scale = new ScaleMapping(".spec.replicas", ".status.replicas", null),
            Columns =
            [
                Computed("Ready", o => $"{(int?)o["status"]?["readyReplicas"] ?? 0}/{(int?)o["spec"]?["replicas"] ?? 0}"),
                Computed("Up-to-date", o => (int?)o["status"]?["updatedReplicas"] ?? 0, type: "integer"),
                Computed("Available", o => (int?)o["status"]?["availableReplicas"] ?? 0, type: "integer"),
                Age,
                Computed("Containers", o => string.Join(",", (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => Str(c?["name"]))), priority: 1),
                Computed("Images", o => string.Join(",", (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => Str(c?["image"]))), priority: 1),
            ],
        },
        new("apps", "v1", "replicasets", "ReplicaSet", "replicaset", true)
        {
            ShortNames = ["rs"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
            Scale = new ScaleMapping(".spec.replicas", ".status.replicas", null),
            Columns = [Age],
        },
        new("apps", "v1", "daemonsets", "DaemonSet", "daemonset", true)
        {
            ShortNames = ["ds"], Categories = ["all"], HasStatus = true, TracksGeneration = true, Columns = [Age],
        },
        new("batch", "v1", "jobs", "Job", "job", true)
        {
            Categories = ["all"], HasStatus = true, TracksGeneration = true,
            Columns =
            [
                Computed("Completions", o => $"{(int?)o["status"]?["succeeded"] ?? 0}/{(int?)o["spec"]?["completions"] ?? 1}"),
                Age,
            ],
        },
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", "poddisruptionbudget", true)
        {
            ShortNames = ["pdb"], HasStatus = true, TracksGeneration = true,
            Columns =
            [
                Computed("Min Available", o => Str(o["spec"]?["minAvailable"]) is { Length: > 0 } min ? min : "N/A"),
                Computed("Max Unavailable", o => Str(o["spec"]?["maxUnavailable"]) is { Length: > 0 } max ? max : "N/A"),
                Age,
            ],
        },
        new("coordination.k8s.io", "v1", "leases", "Lease", "lease", true)
        {
            Columns = [Computed("Holder", o => Str(o["spec"]?["holderIdentity"])), Age],
        },
        new("node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", "runtimeclass", false)
        {
            Columns = [Computed("Handler", o => Str(o["handler"])), Age],
        },
        new("events.k8s.io", "v1", "events", "Event", "event", true) { ShortNames = ["ev"], Columns = [Age] },
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", "customresourcedefinition", false)
        {
            ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasStatus = true, TracksGeneration = true,
            Columns = [new PrinterColumn("Created At", "date", ".metadata.creationTimestamp")],
        },
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", "role", true) { Columns = [Age] },
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", "rolebinding", true) { Columns = [Age] },
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", "clusterrole", false) { Columns = [Age] },
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", "clusterrolebinding", false) { Columns = [Age] },
    ];

    static string ServicePorts(JsonObject service)
    {
        var ports = service["spec"]?["ports"] as JsonArray;
        if (ports is null || ports.Count == 0)
        {
            return "<none>";
        }
        return string.Join(",", ports.Select(p =>
        {
            var nodePort = (int?)p?["nodePort"];
            var protocol = Str(p?["protocol"]) is { Length: > 0 } proto ? proto : "TCP";
            return nodePort is null ? $"{Str(p?["port"])}/{protocol}" : $"{Str(p?["port"])}:{nodePort}/{protocol}";
        }));
    }
}
