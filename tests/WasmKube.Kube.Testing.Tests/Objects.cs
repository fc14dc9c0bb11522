using System.Reflection;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

/// <summary>Small object builders for the tests.</summary>
internal static class Objects
{
    public const string CrdFile = "Manifests/wasmworkloads.crd.yaml";

    /// <summary>The project's CRD (crds/) when the checkout has it, else the stand-in in Manifests/.</summary>
    public static string WasmWorkloadCrdPath()
    {
        var root = typeof(Objects).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var candidate = Path.Combine(root, "crds", "wasmworkloads.wasmkube.io.yaml");
        return File.Exists(candidate) ? candidate : Path.Combine(AppContext.BaseDirectory, CrdFile);
    }

    public static JsonObject ConfigMap(string name, string value = "1", Dictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            var l = new JsonObject();
            foreach (var (k, v) in labels)
            {
                l[k] = v;
            }
            metadata["labels"] = l;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = new JsonObject { ["key"] = value },
        };
    }

    public static JsonObject Workload(string name, int replicas = 1, string image = "registry.example.com/hello-wasm:1.0") => new()
    {
        ["apiVersion"] = "wasmkube.io/v1alpha1",
        ["kind"] = "WasmWorkload",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["image"] = image, ["replicas"] = replicas },
    };

    public static JsonObject Deployment(string name, int replicas = 1, JsonObject? owner = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (owner is not null)
        {
            metadata["ownerReferences"] = new JsonArray(OwnerReference(owner));
        }
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example.com/app:1.0" }),
                    },
                },
            },
        };
    }

    public static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]!.DeepClone(),
        ["kind"] = owner["kind"]!.DeepClone(),
        ["name"] = owner["metadata"]!["name"]!.DeepClone(),
        ["uid"] = owner["metadata"]!["uid"]!.DeepClone(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
