using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WasmKube.Kube.Testing.Storage;

namespace WasmKube.Kube.Testing.Http;

/// <summary>
/// The legacy (unaggregated) discovery documents: /api, /apis, /apis/&lt;group&gt; and the APIResourceLists.
/// Requests for aggregated discovery (apidiscovery.k8s.io/v2) get these too, with Content-Type application/json,
/// which makes client-go fall back to the legacy per-group-version requests as it does with older servers.
/// </summary>
internal static partial class Discovery
{
    [GeneratedRegex("^v(\\d+)(?:(alpha|beta)(\\d+))?$")]
    private static partial Regex KubeVersion();

    /// <summary>Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name.</summary>
    public static IEnumerable<string> OrderVersions(IEnumerable<string> versions) =>
        versions.Distinct().OrderBy(v =>
        {
            var m = KubeVersion().Match(v);
            if (!m.Success)
            {
                return (3, 0, 0, v);
            }
            var stage = m.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 };
            return (stage, -int.Parse(m.Groups[1].Value), m.Groups[3].Success && m.Groups[3].Value.Length > 0 ? -int.Parse(m.Groups[3].Value) : 0, v);
        });

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(IReadOnlyList<ResourceType> types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(types.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct()
            .Select(g => (JsonNode)Group(types, g)!).ToArray()),
    };

    public static JsonObject? Group(IReadOnlyList<ResourceType> types, string group)
    {
        var versions = OrderVersions(types.Where(t => t.Group == group).Select(t => t.Version)).ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    public static JsonObject? ResourceList(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var served = types.Where(t => t.Group == group && t.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in served)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(type.Verbs.Select(v => (JsonNode)v!).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(type.ShortNames.Select(v => (JsonNode)v!).ToArray());
            }
            if (type.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(type.Categories.Select(v => (JsonNode)v!).ToArray());
            }
            resources.Add(entry);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            if (type.Scale is not null)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/scale",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0+wasmkube.testing",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };
}
